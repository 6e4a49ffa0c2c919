/**
 * networking.k8s.io/v1 NetworkPolicy: validation as the API server does it
 * (kubernetes pkg/apis/networking/validation ValidateNetworkPolicySpec / Peer / Port / IPBlock),
 * and the defaulting of `policyTypes` (types.go NetworkPolicySpec.PolicyTypes).
 */
import type { StoredObject, Protocol } from '../model/resources';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import { FieldReader, fieldSet, joinPath, type JsonObject } from '../manifests/field-reader';
import { readLabelSelector } from '../manifests/read-selector';
import { portNameProblem, portNumberProblem } from '../manifests/validate-names';
import { cidrFamily, isStrictSubnet } from '../util/ip';
import type {
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
  PolicyDirection,
} from './policy-model';

const SPEC_FIELDS = fieldSet('podSelector', 'policyTypes', 'ingress', 'egress');
const INGRESS_FIELDS = fieldSet('from', 'ports');
const EGRESS_FIELDS = fieldSet('to', 'ports');
const PEER_FIELDS = fieldSet('podSelector', 'namespaceSelector', 'ipBlock');
const IPBLOCK_FIELDS = fieldSet('cidr', 'except');
const PORT_FIELDS = fieldSet('protocol', 'port', 'endPort');
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const POLICY_TYPES = ['Ingress', 'Egress'] as const;

/** Reads one stored NetworkPolicy; returns null when it has errors (the API server would refuse it). */
export function readNetworkPolicy(
  object: StoredObject,
  issues: EngineIssue[],
): NetworkPolicy | null {
  const namespace = object.namespace ?? 'default';
  const context = {
    ...locationFields(object),
    object: objectRef('NetworkPolicy', namespace, object.name),
  };
  const local: EngineIssue[] = [];
  const r = new FieldReader(context, local);
  const spec = r.object(object.body, 'spec', '') ?? {};
  r.unknownFields(spec, 'spec', SPEC_FIELDS);
  const podSelector = readLabelSelector(r, spec, 'podSelector', 'spec') ?? {
    matchLabels: {},
    matchExpressions: [],
  };
  const ingress = readRules(r, spec, 'ingress', 'from', INGRESS_FIELDS);
  const egress = readRules(r, spec, 'egress', 'to', EGRESS_FIELDS);
  // SetDefaults_NetworkPolicySpec (pkg/apis/networking/v1/defaults.go) tests `len(obj.Egress) != 0`: `egress: []` does not imply Egress.
  const policyTypes = readPolicyTypes(
    r,
    spec,
    Array.isArray(spec.egress) && spec.egress.length > 0,
  );
  issues.push(...local);
  if (local.some((i) => i.severity === 'error')) return null;
  return {
    namespace,
    name: object.name,
    podSelector,
    policyTypes,
    ingress,
    egress,
    doc: object.doc,
  };
}

/**
 * "If this field is not specified, it will default based on the existence of ingress or egress
 * rules; policies that contain an egress section are assumed to affect egress, and all policies
 * (whether or not they contain an ingress section) are assumed to affect ingress." (types.go);
 * an empty list counts as not specified.
 */
function readPolicyTypes(
  r: FieldReader,
  spec: JsonObject,
  hasEgressSection: boolean,
): PolicyDirection[] {
  if (spec.policyTypes === undefined || spec.policyTypes === null)
    return hasEgressSection ? ['Ingress', 'Egress'] : ['Ingress'];
  const list = r.array(spec, 'policyTypes', 'spec') ?? [];
  if (list.length > 2) {
    r.error(
      'INVALID_FIELD',
      'spec.policyTypes',
      'Invalid value: may not specify more than two policyTypes',
    );
    return [];
  }
  const out: PolicyDirection[] = [];
  list.forEach((value, i) => {
    if (value === 'Ingress' || value === 'Egress') {
      if (!out.includes(value)) out.push(value);
      return;
    }
    const shown = typeof value === 'string' ? `"${value}"` : String(value);
    r.error(
      'INVALID_FIELD',
      `spec.policyTypes[${i}]`,
      `Unsupported value: ${shown}: supported values: ${POLICY_TYPES.map((t) => `"${t}"`).join(', ')}`,
    );
  });
  if (list.length === 0) return hasEgressSection ? ['Ingress', 'Egress'] : ['Ingress'];
  return out;
}

function readRules(
  r: FieldReader,
  spec: JsonObject,
  key: 'ingress' | 'egress',
  peersKey: 'from' | 'to',
  known: ReadonlySet<string>,
): NetworkPolicyRule[] {
  const rules: NetworkPolicyRule[] = [];
  for (const [raw, path] of r.objects(spec, key, 'spec')) {
    r.unknownFields(raw, path, known);
    const peerItems = r.objects(raw, peersKey, path);
    const portItems = r.objects(raw, 'ports', path);
    const peers = peerItems
      .map(([peer, peerPath]) => readPeer(r, peer, peerPath))
      .filter((p): p is NetworkPolicyPeer => p !== null);
    const ports = portItems
      .map(([port, portPath]) => readPort(r, port, portPath))
      .filter((p): p is NetworkPolicyPort => p !== null);
    rules.push({ peers: peerItems.length ? peers : null, ports: portItems.length ? ports : null });
  }
  return rules;
}

function readPeer(r: FieldReader, raw: JsonObject, path: string): NetworkPolicyPeer | null {
  r.unknownFields(raw, path, PEER_FIELDS);
  const podSelector = readLabelSelector(r, raw, 'podSelector', path) ?? null;
  const namespaceSelector = readLabelSelector(r, raw, 'namespaceSelector', path) ?? null;
  const ipBlock = r.object(raw, 'ipBlock', path);
  const count = (podSelector ? 1 : 0) + (namespaceSelector ? 1 : 0) + (ipBlock ? 1 : 0);
  if (count === 0) {
    r.error('MISSING_FIELD', path, 'Required value: must specify a peer');
    return null;
  }
  if (ipBlock && count > 1) {
    // The API server reports every error of the request at once: check the ipBlock too.
    readIPBlock(r, ipBlock, joinPath(path, 'ipBlock'));
    r.error('INVALID_FIELD', path, 'Forbidden: may not specify both ipBlock and another peer');
    return null;
  }
  if (ipBlock) return readIPBlock(r, ipBlock, joinPath(path, 'ipBlock'));
  return { kind: 'selector', podSelector, namespaceSelector };
}

function readIPBlock(r: FieldReader, raw: JsonObject, path: string): NetworkPolicyPeer | null {
  r.unknownFields(raw, path, IPBLOCK_FIELDS);
  const cidrText = r.string(raw, 'cidr', path);
  if (!cidrText) {
    r.error('MISSING_FIELD', joinPath(path, 'cidr'), 'Required value');
    return null;
  }
  const family = cidrFamily(cidrText);
  if (!family) {
    r.error(
      'INVALID_CIDR',
      joinPath(path, 'cidr'),
      `Invalid value: "${cidrText}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
    );
    return null;
  }
  const except = r.strings(raw, 'except', path);
  let valid = true;
  except.forEach((text, i) => {
    const exceptPath = joinPath(joinPath(path, 'except'), i);
    if (!cidrFamily(text)) {
      r.error('INVALID_CIDR', exceptPath, `Invalid value: "${text}": must be a valid CIDR value`);
      valid = false;
    } else if (!isStrictSubnet(text, cidrText)) {
      // ValidateIPBlock: `!cidrIPNet.Contains(exceptCIDR.IP) || cidrMaskLen >= exceptMaskLen`.
      r.error(
        'INVALID_CIDR',
        exceptPath,
        `Invalid value: "${text}": must be a strict subset of \`cidr\``,
      );
      valid = false;
    }
  });
  if (valid && family === 'IPv6') warnIPv6(r, joinPath(path, 'cidr'), cidrText);
  return valid ? { kind: 'ipBlock', cidr: cidrText, except } : null;
}

/**
 * The API server accepts both families in `ipBlock` (and admin policy `networks`); the simulated
 * cluster is single-stack IPv4, so an IPv6 block is kept and matches no address of it.
 */
export function warnIPv6(r: FieldReader, path: string, cidr: string): void {
  r.warn(
    'UNSUPPORTED',
    path,
    `IPv6 block "${cidr}" accepted: the simulated cluster is single-stack IPv4, so it matches no address here (IPv6 traffic is not simulated)`,
  );
}

function readPort(r: FieldReader, raw: JsonObject, path: string): NetworkPolicyPort | null {
  r.unknownFields(raw, path, PORT_FIELDS);
  const protocol: Protocol = r.oneOf(raw, 'protocol', path, PROTOCOLS) ?? 'TCP';
  const port = raw.port;
  const endPort = r.integer(raw, 'endPort', path);
  const endPath = joinPath(path, 'endPort');
  let valid =
    raw.protocol === undefined ||
    raw.protocol === null ||
    PROTOCOLS.includes(raw.protocol as Protocol);
  const bad = (field: string, message: string): void => {
    r.error(field.endsWith('protocol') ? 'INVALID_FIELD' : 'PORT_OUT_OF_RANGE', field, message);
    valid = false;
  };
  if (port === undefined || port === null) {
    if (endPort !== undefined)
      bad(
        endPath,
        `Invalid value: ${endPort}: may not be specified when \`port\` is not specified`,
      );
    return valid ? { protocol } : null;
  }
  if (typeof port === 'number' && Number.isInteger(port)) {
    const problem = portNumberProblem(port);
    if (problem) bad(joinPath(path, 'port'), `Invalid value: ${port}: ${problem}`);
    if (endPort !== undefined) {
      if (endPort < port)
        bad(endPath, `Invalid value: ${port}: must be greater than or equal to \`port\``);
      const endProblem = portNumberProblem(endPort);
      if (endProblem) bad(endPath, `Invalid value: ${endPort}: ${endProblem}`);
    }
    return valid ? { protocol, port, ...(endPort !== undefined ? { endPort } : {}) } : null;
  }
  if (typeof port === 'string') {
    if (endPort !== undefined)
      bad(endPath, `Invalid value: ${endPort}: may not be specified when \`port\` is non-numeric`);
    const problem = portNameProblem(port);
    if (problem) bad(joinPath(path, 'port'), `Invalid value: "${port}": ${problem}`);
    return valid ? { protocol, port } : null;
  }
  bad(joinPath(path, 'port'), 'must be an integer or a port name');
  return null;
}
