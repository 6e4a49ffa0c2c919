/**
 * The YAML of a suggested NetworkPolicy, written out by hand so it reads like what a person would
 * `kubectl apply`: block style, keys in the API's order, values quoted only when YAML would
 * otherwise read them as something other than a string.
 */
import type { Labels, Protocol } from '../model/resources';

export type SuggestedPeer =
  | { kind: 'pod'; podLabels: Labels | null; namespace: string | null }
  | { kind: 'ip'; cidr: string };

export interface SuggestedPolicy {
  name: string;
  namespace: string;
  /** null = `{}`: every pod of the namespace. */
  podSelector: Labels | null;
  direction: 'Ingress' | 'Egress';
  peer: SuggestedPeer;
  protocol: Protocol;
  port: number;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9._/-]*$/;
const YAML_WORDS = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

export function yamlScalar(value: string): string {
  return PLAIN.test(value) && !YAML_WORDS.test(value) ? value : JSON.stringify(value);
}

function matchLabels(labels: Labels | null, indent: string): string[] {
  if (labels === null || Object.keys(labels).length === 0) return [];
  return [
    `${indent}matchLabels:`,
    ...Object.entries(labels).map(([k, v]) => `${indent}  ${yamlScalar(k)}: ${yamlScalar(v)}`),
  ];
}

function selectorLines(key: string, labels: Labels | null, indent: string): string[] {
  const inner = matchLabels(labels, `${indent}  `);
  return inner.length ? [`${indent}${key}:`, ...inner] : [`${indent}${key}: {}`];
}

function peerLines(peer: SuggestedPeer, indent: string): string[] {
  if (peer.kind === 'ip') return [`${indent}- ipBlock:`, `${indent}    cidr: ${peer.cidr}`];
  const lines = selectorLines('podSelector', peer.podLabels, `${indent}  `);
  lines[0] = `${indent}- ${lines[0].trimStart()}`;
  if (peer.namespace !== null) {
    // kubernetes.io/metadata.name is set by the control plane on every namespace (network-policies.md).
    lines.push(
      `${indent}  namespaceSelector:`,
      `${indent}    matchLabels:`,
      `${indent}      kubernetes.io/metadata.name: ${yamlScalar(peer.namespace)}`,
    );
  }
  return lines;
}

export function networkPolicyYaml(policy: SuggestedPolicy): string {
  const section = policy.direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = policy.direction === 'Ingress' ? 'from' : 'to';
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${policy.name}`,
    `  namespace: ${yamlScalar(policy.namespace)}`,
    'spec:',
    ...selectorLines('podSelector', policy.podSelector, '  '),
    '  policyTypes:',
    `    - ${policy.direction}`,
    `  ${section}:`,
    `    - ${peersKey}:`,
    ...peerLines(policy.peer, '        '),
    '      ports:',
    `        - protocol: ${policy.protocol}`,
    `          port: ${policy.port}`,
    '',
  ].join('\n');
}
