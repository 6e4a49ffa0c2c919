/**
 * Egress isolation also isolates DNS: a pod whose egress is default-deny cannot reach CoreDNS unless
 * a rule allows UDP 53 to it, and every name lookup then times out. The classic fix is an egress
 * rule to `k8s-app=kube-dns` in kube-system on UDP and TCP 53.
 */
import type { ClusterState } from '../model/cluster-state';
import type { Pod } from '../model/resources';
import type { NetworkPolicy } from '../policy/policy-model';
import { ruleAdmits } from './peer-matching';
import { networkPolicySelects } from './policy-selection';

/** The pods behind the kube-dns Service (kubeadm's CoreDNS Deployment). */
export function clusterDnsPods(state: ClusterState): Pod[] {
  return [...state.pods.values()].filter(
    (pod) =>
      pod.namespace === 'kube-system' && pod.labels['k8s-app'] === 'kube-dns' && pod.ip !== '',
  );
}

/** kubelet points these pods' resolv.conf at the cluster DNS Service (dns.go; research §3.2). */
export function usesClusterDns(pod: Pod): boolean {
  return (
    pod.dnsPolicy === 'ClusterFirstWithHostNet' ||
    (pod.dnsPolicy === 'ClusterFirst' && !pod.hostNetwork)
  );
}

/** The pods `policy` isolates for egress that use cluster DNS and that no egress rule lets reach it. */
export function missingDnsAllowance(
  state: ClusterState,
  policy: NetworkPolicy,
  all: NetworkPolicy[],
  selected: Pod[],
): Pod[] {
  if (!policy.policyTypes.includes('Egress')) return [];
  const dnsPods = clusterDnsPods(state);
  if (dnsPods.length === 0) return [];
  return selected.filter((pod) => usesClusterDns(pod) && !dnsAllowed(state, pod, all, dnsPods));
}

function dnsAllowed(state: ClusterState, pod: Pod, all: NetworkPolicy[], dnsPods: Pod[]): boolean {
  const egressPolicies = all.filter(
    (p) => p.policyTypes.includes('Egress') && networkPolicySelects(p, pod),
  );
  return egressPolicies.some((p) =>
    p.egress.some((rule) => dnsPods.some((dns) => ruleAdmits(state, p, rule, dns, dns, 'UDP', 53))),
  );
}
