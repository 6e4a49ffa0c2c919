/**
 * Which policy APIs the cluster's CNI enforces. The API server accepts any policy; only the network
 * plugin makes it real, and several plugins silently ignore it.
 *
 * - kindnet: enforces NetworkPolicy since kind v0.24 (kindnetd embeds kube-network-policies), which
 *   also implements AdminNetworkPolicy and BaselineAdminNetworkPolicy.
 * - flannel: no policy enforcement at all (flannel docs: pair it with Calico — "canal" — for policy).
 * - calico: enforces NetworkPolicy; AdminNetworkPolicy since v3.29 and BaselineAdminNetworkPolicy
 *   since v3.30 (its `adminnetworkpolicy` / `kube-admin` tiers). The engine assumes a current
 *   release (both supported).
 * - cilium: enforces NetworkPolicy (and its own CiliumNetworkPolicy); AdminNetworkPolicy and
 *   BaselineAdminNetworkPolicy are not implemented.
 * ClusterNetworkPolicy (v1alpha2) is treated like ANP/BANP support.
 */
import type { CniPlugin } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';

export interface PolicyEnforcement {
  networkPolicy: boolean;
  adminNetworkPolicy: boolean;
  note: string;
}

const TABLE: Record<CniPlugin, PolicyEnforcement> = {
  kindnet: {
    networkPolicy: true,
    adminNetworkPolicy: true,
    note: 'kindnet enforces NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy through kube-network-policies (kind v0.24 and later).',
  },
  flannel: {
    networkPolicy: false,
    adminNetworkPolicy: false,
    note: 'flannel does not enforce NetworkPolicy nor admin policies; they are accepted by the API server and ignored.',
  },
  calico: {
    networkPolicy: true,
    adminNetworkPolicy: true,
    note: 'calico enforces NetworkPolicy, and AdminNetworkPolicy (v3.29+) / BaselineAdminNetworkPolicy (v3.30+); a current calico release is assumed.',
  },
  cilium: {
    networkPolicy: true,
    adminNetworkPolicy: false,
    note: 'cilium enforces NetworkPolicy but does not implement AdminNetworkPolicy or BaselineAdminNetworkPolicy: they are ignored.',
  },
};

export function policyEnforcement(state: ClusterState): PolicyEnforcement {
  return TABLE[state.config.cni.plugin];
}
