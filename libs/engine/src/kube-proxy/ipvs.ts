import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import { formatIptablesSave } from '../util/iptables-save-form';
import { ipvsIptablesTables } from './ipvs-iptables';
import { ipvsNodeState } from './ipvs-node';
import {
  IPVS_HEADER,
  ipvsRealServerRule,
  ipvsServiceRule,
  realServerLine,
  virtualServerLine,
} from './ipvs-rules';
import { formatIpsetSave } from './ipvs-sets';

/** The dummy device kube-proxy binds service addresses to, so the node accepts packets for them. */
export const IPVS_DUMMY_DEVICE = 'kube-ipvs0';

/**
 * IPVS mode on one node, in the forms the node's own tools print and load, each section headed by
 * a comment naming it: `# ipvsadm-save -n` (the virtual servers, in ipvsadm's own sort order),
 * `# ip -batch` (the kube-ipvs0 dummy device and the service addresses bound to it; kube-proxy
 * leaves it down, the addresses are local all the same), `# ipset save` (every set kube-proxy
 * creates, with its members) and `# iptables-save` (its chains and the jumps from the built-in
 * chains). `kubeProxyOnly` prints the short `ipvsadm -Ln` listing instead. `nodeAddresses` are
 * the node's own addresses: a NodePort gets a virtual server on each.
 */
export function renderIpvs(
  state: ClusterState,
  node: Node,
  options: { kubeProxyOnly?: boolean; nodeAddresses?: string[] } = {},
): string {
  const ipvs = ipvsNodeState(state, node, options.nodeAddresses ?? [node.ip]);
  if (options.kubeProxyOnly) {
    const lines = [...IPVS_HEADER];
    for (const vs of ipvs.virtualServers)
      lines.push(
        virtualServerLine(state, vs.service, vs.protocol, vs.ip, vs.port),
        ...vs.realServers.map(realServerLine),
      );
    return `${lines.join('\n')}\n`;
  }
  const lines = [
    `# kube-proxy (ipvs mode) on node ${node.name}: virtual servers, the ${IPVS_DUMMY_DEVICE} addresses, ipsets and iptables rules`,
    '# ipvsadm-save -n',
  ];
  for (const vs of ipvs.virtualServers)
    lines.push(
      ipvsServiceRule(state, vs.service, vs.protocol, vs.ip, vs.port),
      ...vs.realServers.map((ep) => ipvsRealServerRule(vs.protocol, vs.ip, vs.port, ep)),
    );
  lines.push('# ip -batch', `link add ${IPVS_DUMMY_DEVICE} type dummy`);
  for (const ip of ipvs.boundAddresses) lines.push(`addr add ${ip}/32 dev ${IPVS_DUMMY_DEVICE}`);
  lines.push('# ipset save', ...formatIpsetSave(ipvs.sets));
  lines.push('# iptables-save', formatIptablesSave(ipvsIptablesTables(state, ipvs)).trimEnd());
  return `${lines.join('\n')}\n`;
}
