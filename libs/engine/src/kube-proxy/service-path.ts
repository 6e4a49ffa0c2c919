import type { ClusterState } from '../model/cluster-state';
import type { Node, Service, ServicePort } from '../model/resources';
import type { ServiceEndpoint } from './endpoints';
import type { VipKind } from './service-match';

/**
 * The facts of one packet's way through kube-proxy's rules, from which each mode writes the rule
 * lines it traversed (`iptablesPathRules`, `nftablesPathRules`, `ipvsPathRules`).
 */
export interface ServicePath {
  state: ClusterState;
  node: Node;
  service: Service;
  port: ServicePort;
  vip: VipKind;
  vipIP: string;
  srcIP: string;
  /** Which policy set was used: `cluster` (KUBE-SVC / service-…) or `local` (KUBE-SVL / local-…). */
  policy: 'cluster' | 'local';
  /** eTP=Local only: how the EXT chain dispatched (pod / node short-circuit, or the local set). */
  externalLocalBranch?: 'pod' | 'node' | 'external';
  candidates: ServiceEndpoint[];
  endpoint: ServiceEndpoint;
  ruleIndex: number;
  viaAffinity: boolean;
  masquerade: boolean;
  hairpin: boolean;
  /** LoadBalancer with source ranges: the allowed source (range or LB IP) the packet matched. */
  sourceRangeMatched?: string;
}
