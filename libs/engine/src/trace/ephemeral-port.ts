import type { ClusterState } from '../model/cluster-state';
import { drawInt } from '../util/rng';

/** Linux's default net.ipv4.ip_local_port_range is 32768–60999; the port is drawn from the seeded stream. */
export function ephemeralPort(state: ClusterState): number {
  return 32768 + drawInt(state, 60999 - 32768 + 1);
}
