import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod } from '../model/resources';
import { findPod } from '../trace/source';
import { formatResolvConf, resolvConfFor } from '../dns/resolv-conf';
import { serviceEnvVars } from '../dns/service-env';
import { listClusterRecords } from '../dns/list-cluster-records';
import { renderRules } from '../kube-proxy/render-rules';
import { formatRoutes, routingTable } from '../cni/routing-table';
import { renderCniRules } from '../cni/cni-rules';
import { podRoutesText } from '../cni/pod-routes';
import { formatTable } from './kubectl-table';
import type { ViewResult } from './view-result';

/** `kubectl exec POD -- cat /etc/resolv.conf`: the file kubelet wrote for the pod. */
export function resolvConfView(state: ClusterState, podRef: string): ViewResult {
  return withPod(state, podRef, (pod) => formatResolvConf(resolvConfFor(state, pod)));
}

/** `kubectl exec POD -- env`, restricted to the Service link variables kubelet injects. */
export function envView(state: ClusterState, podRef: string): ViewResult {
  return withPod(state, podRef, (pod) =>
    serviceEnvVars(state, pod)
      .map((v) => `${v.name}=${v.value}\n`)
      .join(''),
  );
}

/** Every record CoreDNS's kubernetes plugin serves for the cluster zone, one per line. */
export function dnsRecordsView(state: ClusterState): ViewResult {
  const rows = listClusterRecords(state).map((r) => [
    absolute(r.name),
    String(r.ttl),
    'IN',
    r.type,
    r.data,
  ]);
  return { text: formatTable(['NAME', 'TTL', 'CLASS', 'TYPE', 'DATA'], rows), issues: [] };
}

/** The rules kube-proxy programs on a node (iptables-save, ipvsadm -Ln or nft list, by proxy mode). */
export function kubeProxyRulesView(
  state: ClusterState,
  nodeName: string,
  options: { kubeProxyOnly?: boolean } = {},
): ViewResult {
  return withNode(state, nodeName, (node) => renderRules(state, node, options));
}

/** What the CNI plugin programs on a node besides routes: masquerade chains, bridges, tunnel devices and their neighbour/FDB entries. */
export function cniRulesView(state: ClusterState, nodeName: string): ViewResult {
  return withNode(state, nodeName, (node) => renderCniRules(state, node));
}

/** `ip -br addr` and `ip route` inside a pod's network namespace. */
export function podRoutesView(state: ClusterState, podRef: string): ViewResult {
  const found = findPod(state, podRef);
  if (found.ok && (found.pod.hostNetwork || !found.pod.ip || !found.pod.nodeName))
    return {
      text: '',
      issues: [
        {
          severity: 'error',
          code: 'NOT_FOUND',
          message: `pod ${podRef} has no network namespace of its own (hostNetwork, or not scheduled yet)`,
        },
      ],
    };
  return withPod(state, podRef, (pod) => {
    const node = state.nodes.get(pod.nodeName ?? '');
    return node ? podRoutesText(state, pod, node) : '';
  });
}

/** `ip route` on a node, as the CNI plugin set it up. */
export function routesView(state: ClusterState, nodeName: string): ViewResult {
  return withNode(state, nodeName, (node) => formatRoutes(routingTable(state, node)));
}

function withPod(state: ClusterState, podRef: string, render: (pod: Pod) => string): ViewResult {
  const found = findPod(state, podRef);
  if (!found.ok)
    return { text: '', issues: [{ severity: 'error', code: 'NOT_FOUND', message: found.message }] };
  return { text: ensureNewline(render(found.pod)), issues: [] };
}

function withNode(
  state: ClusterState,
  nodeName: string,
  render: (node: Node) => string,
): ViewResult {
  const node = state.nodes.get(nodeName);
  if (!node) {
    const message = `nodes "${nodeName}" not found (nodes: ${[...state.nodes.keys()].join(', ')})`;
    return { text: '', issues: [{ severity: 'error', code: 'NOT_FOUND', message }] };
  }
  return { text: ensureNewline(render(node)), issues: [] };
}

function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
