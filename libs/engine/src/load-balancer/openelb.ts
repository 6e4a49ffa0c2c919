import type { ClusterState } from '../model/cluster-state';
import type { Service } from '../model/resources';
import { parseAddressRange, type AddressRange } from '../util/address-range';

/** OpenELB's `Eip` (network.kubesphere.io/v1alpha2): an address range announced over layer2, BGP or as a VIP. */
export interface OpenElbEip {
  name: string;
  ranges: AddressRange[];
  protocol: 'layer2' | 'bgp' | 'vip';
  default: boolean;
}

const EIP_ANNOTATIONS = [
  'eip.openelb.kubesphere.io/v1alpha2',
  'eip.openelb.kubesphere.io/v1alpha1',
];

export function openElbEips(state: ClusterState): OpenElbEip[] {
  const eips: OpenElbEip[] = [];
  for (const o of state.objects) {
    if (o.kind !== 'Eip' || !o.apiVersion.startsWith('network.kubesphere.io/')) continue;
    const spec = (
      typeof o.body.spec === 'object' && o.body.spec !== null ? o.body.spec : {}
    ) as Record<string, unknown>;
    const address = typeof spec.address === 'string' ? spec.address : '';
    const range = parseAddressRange(address);
    const protocol = spec.protocol === 'bgp' || spec.protocol === 'vip' ? spec.protocol : 'layer2';
    eips.push({
      name: o.name,
      ranges: range ? [range] : [],
      protocol,
      default: spec.default === true,
    });
  }
  return eips;
}

/** The Eip named by the Service's annotation, else the one marked `default: true` (OpenELB's usage docs). */
export function openElbEipFor(eips: OpenElbEip[], svc: Service): OpenElbEip | undefined {
  const named = EIP_ANNOTATIONS.map((a) => svc.annotations[a]).find(Boolean);
  if (named) return eips.find((e) => e.name === named);
  return eips.find((e) => e.default);
}
