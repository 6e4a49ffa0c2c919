import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import { renderIptables } from './iptables';
import { renderIpvs } from './ipvs';
import { renderNftables } from './nftables';

/** The rules kube-proxy programs on `node`, in the form its proxy mode's own tool prints them. */
export function renderRules(
  state: ClusterState,
  node: Node,
  options: { kubeProxyOnly?: boolean } = {},
): string {
  switch (state.config.kubeProxy.mode) {
    case 'iptables':
      return renderIptables(state, node, options);
    case 'ipvs':
      return renderIpvs(state, node);
    case 'nftables':
      return renderNftables(state, node);
  }
}
