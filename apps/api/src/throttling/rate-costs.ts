// What a request costs against its tenant's budget (NETPLAY_RATE_LIMIT_PER_MINUTE points a
// minute). Reads cost 1; what starts engine work or writes a revision costs more, so a budget
// bounds work rather than requests. A GraphQL operation pays for each root field it runs
// (aliases one by one) with the same costs as the REST route that calls the same service. Engine
// work is also charged by the time it took, once it is known (engineTimePoints): a sandbox write
// that keeps an engine thread busy for a second costs a hundred points more than one that does not.
import { SetMetadata } from '@nestjs/common';

export const RATE_COST_METADATA = 'netplay:rate-cost';

export const RATE_COSTS = {
  read: 1,
  /** A scenario run: a job for a worker. */
  run: 5,
  /** A view of the simulated cluster: the engine loads the sandbox in this process. */
  view: 5,
  /** Sandbox create/update: the engine validates the manifests and a revision is stored. */
  sandboxWrite: 10,
  /** An exercise submission: a grading job. */
  submission: 10,
  /** Exercise publish/update: validation grades the reference solution and the start. */
  exerciseWrite: 20,
  /** LTI platform registration: an RSA key pair is generated. */
  keyGeneration: 20,
} as const;

/** Engine time every request may take within its cost. */
export const ENGINE_MS_INCLUDED = 50;
/** Engine time beyond that costs a point per this many milliseconds, charged once measured. */
export const ENGINE_MS_PER_POINT = 10;

/** The points a request's engine time costs on top of its route's. */
export function engineTimePoints(engineMs: number): number {
  return Math.floor(Math.max(0, engineMs - ENGINE_MS_INCLUDED) / ENGINE_MS_PER_POINT);
}

/** The route's or resolver's cost (default RATE_COSTS.read). */
export const RateCost = (cost: number) => SetMetadata(RATE_COST_METADATA, cost);
/** Never counted: probes and scrapes (`/healthz`, `/readyz`, `/metrics`) must answer under load. */
export const Unmetered = () => SetMetadata(RATE_COST_METADATA, 0);
