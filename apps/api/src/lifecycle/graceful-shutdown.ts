// Graceful shutdown of the API on SIGTERM (what Kubernetes sends on a rolling update or scale-in):
// 1. /readyz answers 503 at once, and every response says `Connection: close`, so load balancers
//    and keep-alive clients move to other replicas;
// 2. for NETPLAY_SHUTDOWN_DELAY_MS new requests are still served (endpoint removal reaches
//    kube-proxy and ingress controllers a little after the signal);
// 3. the server stops accepting connections and waits for the requests in flight, at most
//    NETPLAY_SHUTDOWN_TIMEOUT_MS, then closes the connections still open;
// 4. Nest's shutdown hooks close the queues and the database; the process exits 0.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { ApiApp } from '../create-app';
import { Readiness } from '../health/readiness';

export interface ShutdownSettings {
  shutdownDelayMs: number;
  shutdownTimeoutMs: number;
}

export async function shutDownGracefully(
  api: ApiApp,
  server: Server,
  settings: ShutdownSettings,
  logger: Logger,
): Promise<void> {
  api.app.get(Readiness).startDraining();
  logger.info(
    `draining: /readyz answers 503; accepting requests for ${settings.shutdownDelayMs} ms more, then waiting up to ${settings.shutdownTimeoutMs} ms for those in flight`,
  );
  await sleep(settings.shutdownDelayMs);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const drained = await Promise.race([
    closed.then(() => true),
    sleep(settings.shutdownTimeoutMs).then(() => false),
  ]);
  if (!drained) {
    logger.warn(
      `requests still in flight after ${settings.shutdownTimeoutMs} ms: closing their connections`,
    );
    server.closeAllConnections();
    await closed;
  }
  await api.close();
  logger.info('stopped');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
