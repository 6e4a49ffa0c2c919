/**
 * Subjects, peers and ports of AdminNetworkPolicy / BaselineAdminNetworkPolicy / ClusterNetworkPolicy
 * (network-policy-api apis/v1alpha1 and v1alpha2 types). Host-networked pods are never subjects nor
 * pod peers; `networks` match any address, pod IPs included ("cluster-internal traffic will be
 * checked against the rule as well").
 */
import type { ClusterState } from '../model/cluster-state';
import type { ContainerPort, Pod, Protocol } from '../model/resources';
import { selectorMatches } from '../util/labels';
import type {
  ClusterPolicy,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
} from './policy-model';
import type { RuleMatch } from './network-policy-rules';
import {
  describePeer,
  formatSelector,
  inCidr,
  podInNamespaces,
  type PolicyPeer,
} from './policy-peer';

export function clusterPolicySelects(
  state: ClusterState,
  policy: ClusterPolicy,
  pod: Pod,
): boolean {
  if (pod.hostNetwork) return false;
  if (!podInNamespaces(state, pod, policy.subject.namespaceSelector)) return false;
  return (
    policy.subject.kind === 'namespaces' || selectorMatches(policy.subject.podSelector, pod.labels)
  );
}

export function matchClusterPolicyRule(
  state: ClusterState,
  rule: ClusterPolicyRule,
  peer: PolicyPeer,
  dstPod: Pod | null,
  protocol: Protocol,
  port: number,
  notes: string[],
): RuleMatch {
  if (!rule.peers.some((p) => clusterPeerMatches(state, p, peer, notes))) {
    return {
      matches: false,
      reason: 'peer',
      detail: `${describePeer(peer)} is not among ${rule.peers.map(describeClusterPeer).join(' or ')}`,
    };
  }
  if (!rule.ports) return { matches: true };
  if (rule.ports.some((p) => clusterPortMatches(p, dstPod, protocol, port)))
    return { matches: true };
  const sameProtocol = rule.ports.some((p) => p.kind === 'named' || p.protocol === protocol);
  return {
    matches: false,
    reason: sameProtocol ? 'port' : 'protocol',
    detail: `${port}/${protocol} is not among ports ${rule.ports.map(describeClusterPort).join(', ')}`,
  };
}

function clusterPeerMatches(
  state: ClusterState,
  rulePeer: ClusterPolicyPeer,
  peer: PolicyPeer,
  notes: string[],
): boolean {
  switch (rulePeer.kind) {
    case 'namespaces':
      return peer.kind === 'pod' && podInNamespaces(state, peer.pod, rulePeer.namespaceSelector);
    case 'pods':
      return (
        peer.kind === 'pod' &&
        podInNamespaces(state, peer.pod, rulePeer.namespaceSelector) &&
        selectorMatches(rulePeer.podSelector, peer.pod.labels)
      );
    case 'nodes':
      return peer.kind === 'node' && selectorMatches(rulePeer.nodeSelector, peer.node.labels);
    case 'networks':
      return rulePeer.cidrs.some((c) => inCidr(c, peer.ip));
    case 'domainNames':
      notes.push(
        'domainNames peers are not simulated (the engine does not know which name a connection was made for): they match nothing.',
      );
      return false;
  }
}

function clusterPortMatches(
  rulePort: ClusterPolicyPort,
  dstPod: Pod | null,
  protocol: Protocol,
  port: number,
): boolean {
  if (rulePort.kind === 'named') {
    if (!dstPod) return false;
    // A named port carries its protocol from the container port it names.
    return declaredPorts(dstPod).some(
      (p) => p.name === rulePort.name && p.protocol === protocol && p.containerPort === port,
    );
  }
  if (rulePort.protocol !== protocol) return false;
  if (rulePort.kind === 'number') return rulePort.port === port;
  return port >= rulePort.start && port <= rulePort.end;
}

function declaredPorts(pod: Pod): ContainerPort[] {
  return pod.containers.flatMap((c) => c.ports);
}

export function describeClusterPeer(peer: ClusterPolicyPeer): string {
  switch (peer.kind) {
    case 'namespaces':
      return `[namespaces ${formatSelector(peer.namespaceSelector)}]`;
    case 'pods':
      return `[pods ${formatSelector(peer.podSelector)} in namespaces ${formatSelector(peer.namespaceSelector)}]`;
    case 'nodes':
      return `[nodes ${formatSelector(peer.nodeSelector)}]`;
    case 'networks':
      return `[networks ${peer.cidrs.join(',')}]`;
    case 'domainNames':
      return `[domainNames ${peer.domains.join(',')}]`;
  }
}

function describeClusterPort(port: ClusterPolicyPort): string {
  if (port.kind === 'named') return `named ${port.name}`;
  if (port.kind === 'number') return `${port.port}/${port.protocol}`;
  return `${port.start}-${port.end}/${port.protocol}`;
}
