import { cloneState, type ClusterState } from '@netplay/engine';
import type { CheckAssertion } from './exercise-types';
import { runDnsCheck, runProbeCheck, type CheckOutcome } from './probe-check';
import {
  ingressRoutes,
  podIsolated,
  serviceHasEndpoints,
  serviceHasExternalIP,
} from './state-checks';

/**
 * Runs one assertion against its own copy of the cluster: probes advance the seeded random stream
 * (ephemeral ports, endpoint choice), and a check's outcome must not depend on the checks before it.
 */
export function runCheck(state: ClusterState, assertion: CheckAssertion): CheckOutcome {
  const own = cloneState(state);
  switch (assertion.kind) {
    case 'probe':
      return runProbeCheck(own, assertion);
    case 'dns':
      return runDnsCheck(own, assertion);
    case 'serviceHasExternalIP':
      return serviceHasExternalIP(own, assertion);
    case 'ingressRoutes':
      return ingressRoutes(own, assertion);
    case 'podIsolated':
      return podIsolated(own, assertion);
    case 'serviceHasEndpoints':
      return serviceHasEndpoints(own, assertion);
  }
}
