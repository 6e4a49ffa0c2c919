import type { ClusterState } from '../model/cluster-state';
import type { LabelSelector, Labels, StoredObject } from '../model/resources';
import { lenientLabels as labels, lenientSelector } from '../util/labels';
import { parseAddressRange, type AddressRange } from '../util/address-range';

/** An IPAddressPool (metallb.io/v1beta1) as the controller uses it (api/v1beta1/ipaddresspool_types.go). */
export interface AddressPool {
  name: string;
  namespace: string;
  ranges: AddressRange[];
  /** Default true. */
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  serviceAllocation?: {
    priority: number;
    namespaces: string[];
    namespaceSelectors: LabelSelector[];
    serviceSelectors: LabelSelector[];
  };
  labels: Labels;
}

/** L2Advertisement or BGPAdvertisement: which pools are announced, from which nodes. */
export interface Advertisement {
  mode: 'L2' | 'BGP';
  name: string;
  /** Empty together with empty `poolSelectors`: every pool. */
  pools: string[];
  poolSelectors: LabelSelector[];
  /** Empty: every node. */
  nodeSelectors: LabelSelector[];
  peers: string[];
}

export interface BgpPeer {
  name: string;
  myASN: number;
  peerASN: number;
  peerAddress: string;
  /** Empty: every node's speaker opens a session to this peer. */
  nodeSelectors: LabelSelector[];
}

export interface MetalLbConfig {
  pools: AddressPool[];
  advertisements: Advertisement[];
  peers: BgpPeer[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function selectors(v: unknown): LabelSelector[] {
  return Array.isArray(v) ? v.map((s) => lenientSelector(s)) : [];
}

function spec(o: StoredObject): Record<string, unknown> {
  return isRecord(o.body.spec) ? o.body.spec : {};
}

export function metalLbObjects(state: ClusterState): StoredObject[] {
  return state.objects.filter((o) => o.apiVersion.startsWith('metallb.io/'));
}

export function readMetalLbConfig(state: ClusterState): MetalLbConfig {
  const config: MetalLbConfig = { pools: [], advertisements: [], peers: [] };
  for (const o of metalLbObjects(state)) {
    const s = spec(o);
    if (o.kind === 'IPAddressPool') {
      const alloc = isRecord(s.serviceAllocation) ? s.serviceAllocation : undefined;
      const metadata = isRecord(o.body.metadata) ? o.body.metadata : {};
      config.pools.push({
        name: o.name,
        namespace: o.namespace ?? 'metallb-system',
        ranges: strings(s.addresses)
          .map(parseAddressRange)
          .filter((r): r is AddressRange => r !== null),
        autoAssign: s.autoAssign !== false,
        avoidBuggyIPs: s.avoidBuggyIPs === true,
        serviceAllocation: alloc && {
          priority: typeof alloc.priority === 'number' ? alloc.priority : 0,
          namespaces: strings(alloc.namespaces),
          namespaceSelectors: selectors(alloc.namespaceSelectors),
          serviceSelectors: selectors(alloc.serviceSelectors),
        },
        labels: labels(metadata.labels),
      });
    } else if (o.kind === 'L2Advertisement' || o.kind === 'BGPAdvertisement') {
      config.advertisements.push({
        mode: o.kind === 'L2Advertisement' ? 'L2' : 'BGP',
        name: o.name,
        pools: strings(s.ipAddressPools),
        poolSelectors: selectors(s.ipAddressPoolSelectors),
        nodeSelectors: selectors(s.nodeSelectors),
        peers: strings(s.peers),
      });
    } else if (o.kind === 'BGPPeer') {
      config.peers.push({
        name: o.name,
        myASN: typeof s.myASN === 'number' ? s.myASN : 0,
        peerASN: typeof s.peerASN === 'number' ? s.peerASN : 0,
        peerAddress: typeof s.peerAddress === 'string' ? s.peerAddress : '',
        nodeSelectors: selectors(s.nodeSelectors),
      });
    }
  }
  return config;
}
