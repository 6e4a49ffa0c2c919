/**
 * A run's status as it changes, over the API's graphql-ws subscription (docs/graphql.md):
 * the current status first, then each change, ending with `succeeded` or `failed`. The client
 * library loads only when a run is watched. Browsers cannot set headers on a WebSocket upgrade,
 * so the token goes in the connection parameters.
 */
import type { RunStatus } from './types';

const SUBSCRIPTION = 'subscription($id: ID!) { runStatusChanged(runId: $id) { status } }';
const FINISHED: RunStatus[] = ['succeeded', 'failed'];

export function graphqlSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}

/** Calls `onStatus` for each status; resolves with the final one (rejects if the socket fails). */
export async function watchRunStatus(
  token: string,
  runId: string,
  onStatus: (status: RunStatus) => void,
  url = graphqlSocketUrl(window.location),
): Promise<RunStatus> {
  const { createClient } = await import('graphql-ws');
  const client = createClient({
    url,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
  try {
    return await new Promise<RunStatus>((resolve, reject) => {
      let last: RunStatus | null = null;
      client.subscribe<{ runStatusChanged: { status: RunStatus } }>(
        { query: SUBSCRIPTION, variables: { id: runId } },
        {
          next: ({ data }) => {
            const status = data?.runStatusChanged.status;
            if (!status) return;
            last = status;
            onStatus(status);
          },
          error: (error: unknown) =>
            reject(
              error instanceof Error ? error : new Error('the run status subscription failed'),
            ),
          complete: () =>
            last && FINISHED.includes(last)
              ? resolve(last)
              : reject(new Error('the run status subscription ended early')),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
