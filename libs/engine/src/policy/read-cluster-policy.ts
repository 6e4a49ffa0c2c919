/**
 * The network-policy-api cluster-wide policies, checked as their CRD schemas do
 * (kubernetes-sigs/network-policy-api apis/v1alpha1 adminnetworkpolicy_types.go,
 * baselineadminnetworkpolicy_types.go, apis/v1alpha2 clusternetworkpolicy_types.go):
 * AdminNetworkPolicy → Admin tier, BaselineAdminNetworkPolicy → Baseline tier,
 * ClusterNetworkPolicy → the tier in `spec.tier`.
 */
import type { LabelSelector, Protocol, StoredObject } from '../model/resources';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import { FieldReader, joinPath, type JsonObject } from '../manifests/field-reader';
import { readLabelSelector } from '../manifests/read-selector';
import { cidrFamily } from '../util/ip';
import { warnIPv6 } from './read-network-policy';
import type {
  ClusterPolicy,
  ClusterPolicyAction,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  ClusterPolicySubject,
  ClusterPolicyTier,
} from './policy-model';

const EMPTY: LabelSelector = { matchLabels: {}, matchExpressions: [] };
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

interface Flavour {
  tier: ClusterPolicyTier | null;
  actions: readonly string[];
  /** v1alpha2 spells ports as `protocols: [{tcp: {destinationPort: …}}]`. */
  v1alpha2: boolean;
}

function flavourOf(kind: string): Flavour {
  if (kind === 'AdminNetworkPolicy')
    return { tier: 'Admin', actions: ['Allow', 'Deny', 'Pass'], v1alpha2: false };
  if (kind === 'BaselineAdminNetworkPolicy')
    return { tier: 'Baseline', actions: ['Allow', 'Deny'], v1alpha2: false };
  return { tier: null, actions: ['Accept', 'Deny', 'Pass'], v1alpha2: true };
}

/** Reads one stored ANP/BANP/CNP; null when the API server (CRD validation) would refuse it. */
export function readClusterPolicy(
  object: StoredObject,
  issues: EngineIssue[],
): ClusterPolicy | null {
  const context = {
    ...locationFields(object),
    object: objectRef(object.kind, undefined, object.name),
  };
  const local: EngineIssue[] = [];
  const r = new FieldReader(context, local);
  const flavour = flavourOf(object.kind);
  const spec = r.object(object.body, 'spec', '') ?? {};
  let tier = flavour.tier;
  if (!tier) {
    tier = r.oneOf(spec, 'tier', 'spec', ['Admin', 'Baseline'] as const) ?? null;
    if (spec.tier === undefined) r.error('MISSING_FIELD', 'spec.tier', 'Required value');
  }
  if (object.kind === 'BaselineAdminNetworkPolicy' && object.name !== 'default') {
    // CRD rule: "Only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster".
    r.error(
      'INVALID_NAME',
      'metadata.name',
      `Invalid value: "${object.name}": Only one baseline admin network policy with metadata.name="default" can be created in the cluster`,
    );
  }
  let priority = 0;
  if (object.kind !== 'BaselineAdminNetworkPolicy') {
    const value = r.integer(spec, 'priority', 'spec');
    if (value === undefined && spec.priority === undefined)
      r.error('MISSING_FIELD', 'spec.priority', 'Required value');
    else if (value !== undefined && (value < 0 || value > 1000))
      r.error(
        'INVALID_FIELD',
        'spec.priority',
        `Invalid value: ${value}: must be between 0 and 1000, inclusive`,
      );
    else if (value !== undefined) priority = value;
  }
  const subject = readSubject(r, spec);
  const ingress = readRules(r, spec, 'ingress', 'from', flavour);
  const egress = readRules(r, spec, 'egress', 'to', flavour);
  issues.push(...local);
  if (local.some((i) => i.severity === 'error') || !subject || !tier) return null;
  return {
    kind: object.kind,
    apiVersion: object.apiVersion,
    name: object.name,
    tier,
    priority,
    subject,
    ingress,
    egress,
    doc: object.doc,
  };
}

function readSubject(r: FieldReader, spec: JsonObject): ClusterPolicySubject | null {
  const raw = r.object(spec, 'subject', 'spec');
  if (!raw) {
    r.error('MISSING_FIELD', 'spec.subject', 'Required value');
    return null;
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1) {
    r.error(
      'INVALID_FIELD',
      'spec.subject',
      'Invalid value: exactly one of `namespaces` or `pods` must be set',
    );
    return null;
  }
  if (raw.namespaces !== undefined)
    return {
      kind: 'namespaces',
      namespaceSelector: readLabelSelector(r, raw, 'namespaces', 'spec.subject') ?? EMPTY,
    };
  if (raw.pods !== undefined) {
    const pods = r.object(raw, 'pods', 'spec.subject') ?? {};
    return { kind: 'pods', ...readNamespacedPod(r, pods, 'spec.subject.pods') };
  }
  r.error(
    'INVALID_FIELD',
    'spec.subject',
    `Invalid value: unknown subject "${keys[0]}" (supported: namespaces, pods)`,
  );
  return null;
}

function readNamespacedPod(
  r: FieldReader,
  raw: JsonObject,
  path: string,
): { namespaceSelector: LabelSelector; podSelector: LabelSelector } {
  if (raw.podSelector === undefined)
    r.error('MISSING_FIELD', joinPath(path, 'podSelector'), 'Required value');
  return {
    namespaceSelector: readLabelSelector(r, raw, 'namespaceSelector', path) ?? EMPTY,
    podSelector: readLabelSelector(r, raw, 'podSelector', path) ?? EMPTY,
  };
}

function readRules(
  r: FieldReader,
  spec: JsonObject,
  key: 'ingress' | 'egress',
  peersKey: 'from' | 'to',
  flavour: Flavour,
): ClusterPolicyRule[] {
  const rules: ClusterPolicyRule[] = [];
  const items = r.objects(spec, key, 'spec');
  const max = flavour.v1alpha2 ? 25 : 100;
  if (items.length > max)
    r.error(
      'INVALID_FIELD',
      joinPath('spec', key),
      `Too many: ${items.length}: must have at most ${max} items`,
    );
  for (const [raw, path] of items) {
    const name = r.string(raw, 'name', path);
    if (name !== undefined && name.length > 100)
      r.error('INVALID_FIELD', joinPath(path, 'name'), 'Too long: may not be longer than 100');
    const actionText = r.oneOf(raw, 'action', path, flavour.actions);
    if (raw.action === undefined)
      r.error('MISSING_FIELD', joinPath(path, 'action'), 'Required value');
    const peerItems = r.objects(raw, peersKey, path);
    if (!peerItems.length)
      r.error(
        'MISSING_FIELD',
        joinPath(path, peersKey),
        'Required value: must contain at least one peer',
      );
    const peers = peerItems
      .map(([peer, peerPath]) => readPeer(r, peer, peerPath, key))
      .filter((p): p is ClusterPolicyPeer => p !== null);
    const ports = flavour.v1alpha2 ? readProtocols(r, raw, path) : readPorts(r, raw, path);
    if (!actionText) continue;
    const action: ClusterPolicyAction =
      actionText === 'Accept' ? 'Allow' : (actionText as ClusterPolicyAction);
    rules.push({ ...(name ? { name } : {}), action, peers, ports });
  }
  return rules;
}

function readPeer(
  r: FieldReader,
  raw: JsonObject,
  path: string,
  direction: 'ingress' | 'egress',
): ClusterPolicyPeer | null {
  const keys = Object.keys(raw);
  if (keys.length !== 1) {
    r.error('INVALID_FIELD', path, 'Invalid value: exactly one peer type must be set');
    return null;
  }
  const [type] = keys;
  const egressOnly = type === 'nodes' || type === 'networks' || type === 'domainNames';
  if (egressOnly && direction === 'ingress') {
    r.error(
      'INVALID_FIELD',
      joinPath(path, type),
      `Forbidden: ${type} peers are only allowed in egress rules`,
    );
    return null;
  }
  switch (type) {
    case 'namespaces':
      return {
        kind: 'namespaces',
        namespaceSelector: readLabelSelector(r, raw, 'namespaces', path) ?? EMPTY,
      };
    case 'pods':
      return {
        kind: 'pods',
        ...readNamespacedPod(r, r.object(raw, 'pods', path) ?? {}, joinPath(path, 'pods')),
      };
    case 'nodes':
      return { kind: 'nodes', nodeSelector: readLabelSelector(r, raw, 'nodes', path) ?? EMPTY };
    case 'networks': {
      const cidrs = r.strings(raw, 'networks', path);
      cidrs.forEach((c, i) => {
        const at = joinPath(joinPath(path, 'networks'), i);
        const family = cidrFamily(c);
        if (!family)
          r.error('INVALID_CIDR', at, `Invalid value: "${c}": Invalid CIDR format provided`);
        else if (family === 'IPv6') warnIPv6(r, at, c);
      });
      return { kind: 'networks', cidrs };
    }
    case 'domainNames':
      return { kind: 'domainNames', domains: r.strings(raw, 'domainNames', path) };
    default:
      r.error('INVALID_FIELD', joinPath(path, type), `Invalid value: unknown peer type "${type}"`);
      return null;
  }
}

function checkPort(r: FieldReader, value: number | undefined, path: string): number | undefined {
  if (value !== undefined && (value < 1 || value > 65535)) {
    r.error(
      'PORT_OUT_OF_RANGE',
      path,
      `Invalid value: ${value}: must be between 1 and 65535, inclusive`,
    );
    return undefined;
  }
  return value;
}

/** v1alpha1: `ports: [{portNumber: {protocol, port}} | {namedPort} | {portRange: {protocol, start, end}}]`. */
function readPorts(r: FieldReader, raw: JsonObject, path: string): ClusterPolicyPort[] | null {
  const items = r.objects(raw, 'ports', path);
  if (!items.length) return null;
  const out: ClusterPolicyPort[] = [];
  for (const [item, itemPath] of items) {
    if (Object.keys(item).length !== 1) {
      r.error(
        'INVALID_FIELD',
        itemPath,
        'Invalid value: exactly one of portNumber, namedPort or portRange must be set',
      );
      continue;
    }
    if (item.namedPort !== undefined) {
      const name = r.string(item, 'namedPort', itemPath);
      if (name) out.push({ kind: 'named', name });
      continue;
    }
    const numberObj = r.object(item, 'portNumber', itemPath);
    if (numberObj) {
      const p = joinPath(itemPath, 'portNumber');
      const protocol: Protocol = r.oneOf(numberObj, 'protocol', p, PROTOCOLS) ?? 'TCP';
      const port = checkPort(r, r.integer(numberObj, 'port', p), joinPath(p, 'port'));
      if (port !== undefined) out.push({ kind: 'number', protocol, port });
      continue;
    }
    const range = r.object(item, 'portRange', itemPath);
    if (range)
      out.push(
        ...readRange(
          r,
          range,
          joinPath(itemPath, 'portRange'),
          r.oneOf(range, 'protocol', joinPath(itemPath, 'portRange'), PROTOCOLS) ?? 'TCP',
        ),
      );
  }
  return out;
}

function readRange(
  r: FieldReader,
  range: JsonObject,
  path: string,
  protocol: Protocol,
): ClusterPolicyPort[] {
  const start = checkPort(r, r.integer(range, 'start', path), joinPath(path, 'start'));
  const end = checkPort(r, r.integer(range, 'end', path), joinPath(path, 'end'));
  if (start === undefined || end === undefined) return [];
  if (start >= end) {
    r.error('INVALID_FIELD', path, 'Invalid value: Start port must be less than End port');
    return [];
  }
  return [{ kind: 'range', protocol, start, end }];
}

/** v1alpha2: `protocols: [{tcp|udp|sctp: {destinationPort: {number} | {range: {start, end}}}} | {destinationNamedPort}]`. */
function readProtocols(r: FieldReader, raw: JsonObject, path: string): ClusterPolicyPort[] | null {
  const items = r.objects(raw, 'protocols', path);
  if (!items.length) return null;
  const out: ClusterPolicyPort[] = [];
  for (const [item, itemPath] of items) {
    const keys = Object.keys(item);
    if (keys.length !== 1) {
      r.error(
        'INVALID_FIELD',
        itemPath,
        'Invalid value: exactly one of tcp, udp, sctp or destinationNamedPort must be set',
      );
      continue;
    }
    if (item.destinationNamedPort !== undefined) {
      const name = r.string(item, 'destinationNamedPort', itemPath);
      if (name) out.push({ kind: 'named', name });
      continue;
    }
    const protocol = ({ tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' } as const)[
      keys[0] as 'tcp' | 'udp' | 'sctp'
    ];
    if (!protocol) {
      r.error(
        'INVALID_FIELD',
        joinPath(itemPath, keys[0]),
        `Invalid value: unknown protocol match "${keys[0]}"`,
      );
      continue;
    }
    const protoPath = joinPath(itemPath, keys[0]);
    const dst = r.object(r.object(item, keys[0], itemPath) ?? {}, 'destinationPort', protoPath);
    const dstPath = joinPath(protoPath, 'destinationPort');
    if (!dst) {
      r.error('MISSING_FIELD', dstPath, 'Required value');
      continue;
    }
    const range = r.object(dst, 'range', dstPath);
    if (range) {
      out.push(...readRange(r, range, joinPath(dstPath, 'range'), protocol));
      continue;
    }
    const port = checkPort(r, r.integer(dst, 'number', dstPath), joinPath(dstPath, 'number'));
    if (port !== undefined) out.push({ kind: 'number', protocol, port });
  }
  return out;
}
