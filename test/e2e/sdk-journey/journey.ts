// An integrator's journey through the API with `@netplay/sdk`, written as a training platform
// would write it: nothing here but the published package. sdk-journey.e2e-spec.ts compiles this
// file with tsc (strict, as a consumer's project would) and runs it against the real service.
import {
  createNetplayClient,
  dataOf,
  pages,
  probeTraces,
  runAndWait,
  verifyWebhook,
  type Hop,
  type IncomingHeaders,
  type ProbeTrace,
  type Run,
  type Submission,
  type WebhookEvent,
  type WebhookEventOf,
} from '@netplay/sdk';

export interface Delivery {
  body: string;
  headers: IncomingHeaders;
}

export interface JourneyInput {
  baseUrl: string;
  apiKey: string;
  /** Where the platform receives webhooks (allowlisted by the service). */
  receiverUrl: string;
  /** The next delivery the receiver got whose body mentions `type`. */
  nextDelivery(type: WebhookEvent['type']): Promise<Delivery>;
  manifests: string;
  exercise: { yaml: string; solution: string; mode: 'full' | 'patch' };
}

export interface JourneyOutcome {
  trace: ProbeTrace;
  hopComponents: Hop['component'][];
  pagedRunIds: string[];
  submittedRunIds: string[];
  submission: Submission;
  graded: WebhookEventOf<'submission.graded'>;
  completed: WebhookEventOf<'run.completed'>;
  ping: WebhookEventOf<'endpoint.ping'>;
  pingEventId: string;
}

export async function integratorJourney(input: JourneyInput): Promise<JourneyOutcome> {
  const client = createNetplayClient({ baseUrl: input.baseUrl, apiKey: input.apiKey });

  const endpoint = dataOf(
    await client.POST('/v1/webhook-endpoints', {
      body: { url: input.receiverUrl, eventTypes: ['submission.graded', 'run.completed'] },
    }),
  );

  const sandbox = dataOf(
    await client.POST('/v1/sandboxes', {
      body: { name: 'website', manifests: input.manifests },
    }),
  );

  // A probe, waited for; its trace typed from the engine's schema.
  const run = await runAndWait(client, sandbox.id, [
    { name: 'home page', probe: { from: 'default/client', to: 'http://website.default/' } },
  ]);
  const [trace] = probeTraces(run.result);
  const completed = verified(await input.nextDelivery('run.completed'), endpoint.secret);
  if (completed.type !== 'run.completed')
    throw new Error(`expected run.completed, got ${completed.type}`);

  // More runs, then every run of the sandbox a page of two at a time.
  const submittedRunIds: string[] = [run.id];
  for (let index = 0; index < 3; index += 1) {
    const submitted = dataOf(
      await client.POST('/v1/sandboxes/{id}/runs', {
        params: { path: { id: sandbox.id } },
        body: { steps: [{ dns: { from: 'default/client', name: 'website' } }] },
      }),
    );
    submittedRunIds.push(submitted.id);
  }
  const pagedRunIds: string[] = [];
  for await (const listed of pages<Run>((cursor) =>
    client.GET('/v1/runs', { params: { query: { sandboxId: sandbox.id, cursor, limit: 2 } } }),
  ))
    pagedRunIds.push(listed.id);

  // An exercise, a learner's submission, its grade by webhook.
  const exercise = dataOf(
    await client.POST('/v1/exercises', { body: { yaml: input.exercise.yaml } }),
  );
  const queued = dataOf(
    await client.POST('/v1/exercises/{id}/submissions', {
      params: { path: { id: exercise.id } },
      body: {
        learnerRef: 'learner-1',
        manifests: input.exercise.solution,
        mode: input.exercise.mode,
      },
    }),
  );
  const graded = verified(await input.nextDelivery('submission.graded'), endpoint.secret);
  if (graded.type !== 'submission.graded')
    throw new Error(`expected submission.graded, got ${graded.type}`);
  const submission = dataOf(
    await client.GET('/v1/submissions/{id}', {
      params: { path: { id: queued.id }, query: { view: 'full' } },
    }),
  );

  // The receiver's own check: a signed test event.
  const pinged = dataOf(
    await client.POST('/v1/webhook-endpoints/{id}/ping', { params: { path: { id: endpoint.id } } }),
  );
  const ping = verified(await input.nextDelivery('endpoint.ping'), endpoint.secret);
  if (ping.type !== 'endpoint.ping') throw new Error(`expected endpoint.ping, got ${ping.type}`);

  return {
    trace,
    hopComponents: trace.hops.map((hop) => hop.component),
    pagedRunIds,
    submittedRunIds,
    submission,
    graded,
    completed,
    ping,
    pingEventId: pinged.eventId,
  };
}

function verified(delivery: Delivery, secret: string): WebhookEvent {
  return verifyWebhook(delivery.body, delivery.headers, secret);
}
