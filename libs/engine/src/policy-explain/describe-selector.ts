/**
 * Plain words for the pieces of a policy: label selectors, peers and ports. Selectors are written
 * the way `kubectl get -l` takes them (`role=frontend,env in (prod,staging),!legacy`), so a learner
 * can paste them back into kubectl.
 */
import type { LabelSelector, Protocol } from '../model/resources';
import type {
  ClusterPolicyPeer,
  ClusterPolicyPort,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../policy/policy-model';

/** apimachinery `labels.Selector.String()` form; `''` for the empty selector (matches everything). */
export function selectorText(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions) {
    const values = [...req.values].sort().join(',');
    if (req.operator === 'In') parts.push(`${req.key} in (${values})`);
    else if (req.operator === 'NotIn') parts.push(`${req.key} notin (${values})`);
    else if (req.operator === 'Exists') parts.push(req.key);
    else parts.push(`!${req.key}`);
  }
  return parts.join(',');
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

function podsText(podSelector: LabelSelector): string {
  return isEmptySelector(podSelector) ? 'all pods' : `pods labelled ${selectorText(podSelector)}`;
}

function namespacesText(namespaceSelector: LabelSelector): string {
  return isEmptySelector(namespaceSelector)
    ? 'all namespaces'
    : `namespaces labelled ${selectorText(namespaceSelector)}`;
}

/** `a`, `a or b`, `a, b or c` */
export function joinWords(words: string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

/**
 * One NetworkPolicy peer. A podSelector alone means pods of the policy's own namespace; a
 * namespaceSelector alone means every pod of the selected namespaces; both in one item is an AND
 * (kubernetes.io network-policies "Behavior of to and from selectors").
 */
export function describeNetworkPolicyPeer(
  peer: NetworkPolicyPeer,
  policyNamespace: string,
): string {
  if (peer.kind === 'ipBlock') {
    return peer.except.length ? `${peer.cidr} except ${joinWords(peer.except, 'and')}` : peer.cidr;
  }
  const { podSelector, namespaceSelector } = peer;
  if (namespaceSelector === null)
    return `${podsText(podSelector ?? emptySelector())} in namespace ${policyNamespace}`;
  if (podSelector === null || isEmptySelector(podSelector))
    return `all pods in ${namespacesText(namespaceSelector)}`;
  return `${podsText(podSelector)} in ${namespacesText(namespaceSelector)}`;
}

export function describeClusterPolicyPeer(peer: ClusterPolicyPeer): string {
  switch (peer.kind) {
    case 'namespaces':
      return isEmptySelector(peer.namespaceSelector)
        ? 'all namespaces'
        : namespacesText(peer.namespaceSelector);
    case 'pods':
      return isEmptySelector(peer.podSelector)
        ? `all pods in ${namespacesText(peer.namespaceSelector)}`
        : `${podsText(peer.podSelector)} in ${namespacesText(peer.namespaceSelector)}`;
    case 'nodes':
      return isEmptySelector(peer.nodeSelector)
        ? 'all nodes'
        : `nodes labelled ${selectorText(peer.nodeSelector)}`;
    case 'networks':
      return joinWords(peer.cidrs, 'or');
    case 'domainNames':
      return joinWords(peer.domains, 'or');
  }
}

interface PortWords {
  protocol: Protocol | null;
  /** `80`, `8080-8090`, `port "http"`, or null for every port of the protocol. */
  port: string | null;
}

/**
 * Ports grouped so that `UDP 53` + `TCP 53` read `UDP and TCP 53` and `TCP 80` + `TCP 443` read
 * `TCP 80 and 443`; a protocol without a port reads `any TCP port`.
 */
export function describePortList(ports: PortWords[]): string {
  const protocolsByPort = new Map<string, (Protocol | null)[]>();
  for (const p of ports) {
    const key = p.port ?? '';
    const list = protocolsByPort.get(key) ?? [];
    if (!list.includes(p.protocol)) list.push(p.protocol);
    protocolsByPort.set(key, list);
  }
  const portsByProtocols = new Map<string, string[]>();
  for (const [port, protocols] of protocolsByPort) {
    const key = protocols.map((p) => p ?? '').join(' and ');
    portsByProtocols.set(key, [...(portsByProtocols.get(key) ?? []), port]);
  }
  const groups: string[] = [];
  for (const [protocols, portList] of portsByProtocols) {
    const numbered = portList.filter((p) => p !== '');
    if (numbered.length)
      groups.push(`${protocols ? `${protocols} ` : ''}${joinWords(numbered, 'and')}`);
    if (numbered.length < portList.length)
      groups.push(protocols ? `any ${protocols} port` : 'any port');
  }
  return joinWords(groups, 'and');
}

export function networkPolicyPortWords(port: NetworkPolicyPort): PortWords {
  if (port.port === undefined) return { protocol: port.protocol, port: null };
  if (typeof port.port === 'string')
    return { protocol: port.protocol, port: `port "${port.port}"` };
  return {
    protocol: port.protocol,
    port: port.endPort !== undefined ? `${port.port}-${port.endPort}` : String(port.port),
  };
}

export function clusterPolicyPortWords(port: ClusterPolicyPort): PortWords {
  if (port.kind === 'named') return { protocol: null, port: `port "${port.name}"` };
  if (port.kind === 'range') return { protocol: port.protocol, port: `${port.start}-${port.end}` };
  return { protocol: port.protocol, port: String(port.port) };
}

function emptySelector(): LabelSelector {
  return { matchLabels: {}, matchExpressions: [] };
}
