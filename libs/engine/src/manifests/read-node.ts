import type { Namespace, Node, Taint } from '../model/resources';
import { fieldSet, FieldReader, type JsonObject } from './field-reader';
import { isIP, parseCidr } from '../util/ip';
import { checkIPv4 } from './read-ip-fields';
import type { ReadMeta } from './read-metadata';

const NODE_SPEC_FIELDS = fieldSet(
  'podCIDR',
  'podCIDRs',
  'providerID',
  'unschedulable',
  'taints',
  'configSource',
  'externalID',
);
const TAINT_FIELDS = fieldSet('key', 'value', 'effect', 'timeAdded');
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
/**
 * kubeadm labels control-plane nodes with the first (and taints them NoSchedule); k3s servers carry
 * both, `"true"`-valued, and no taint.
 */
const CONTROL_PLANE_LABELS = [
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
];

/**
 * A v1 Node: merged by name with the cluster's nodes (or added). Only what scheduling and routing
 * need: labels, taints, `spec.unschedulable` (cordon), the InternalIP address, the Ready condition.
 */
export function readNode(
  r: FieldReader,
  raw: JsonObject,
  meta: ReadMeta,
): Partial<Node> & { name: string } {
  const spec = r.object(raw, 'spec', '') ?? {};
  r.unknownFields(spec, 'spec', NODE_SPEC_FIELDS);
  const node: Partial<Node> & { name: string } = { name: meta.name, labels: meta.labels };
  if (CONTROL_PLANE_LABELS.some((label) => label in meta.labels)) node.role = 'control-plane';
  const unschedulable = r.boolean(spec, 'unschedulable', 'spec');
  if (unschedulable !== undefined) node.unschedulable = unschedulable;
  if (spec.taints !== undefined) node.taints = readTaints(r, spec);
  // spec.podCIDRs lists one range per family (the IPv4 one is spec.podCIDR too on IPv4-first clusters).
  const podCIDRs = r.strings(spec, 'podCIDRs', 'spec');
  const podCIDR =
    r.string(spec, 'podCIDR', 'spec') || podCIDRs.find((cidr) => !cidr.includes(':')) || '';
  if (podCIDR) {
    if (parseCidr(podCIDR)) node.podCIDR = podCIDR;
    else if (!podCIDR.includes(':'))
      r.error('INVALID_CIDR', 'spec.podCIDR', `Invalid value: "${podCIDR}": not an IPv4 CIDR`);
  }
  const status = r.object(raw, 'status', '') ?? {};
  for (const [address, path] of r.objects(status, 'addresses', 'status')) {
    if (address.type !== 'InternalIP' || typeof address.address !== 'string') continue;
    // A dual-stack node lists an IPv6 InternalIP too: ignored with a warning, not refused.
    if (address.address.includes(':') && isIP(address.address))
      r.warn(
        'UNSUPPORTED',
        `${path}.address`,
        `IPv6 address "${address.address}" ignored: the simulated cluster is single-stack IPv4`,
      );
    else if (checkIPv4(r, address.address, `${path}.address`) && node.ip === undefined)
      node.ip = address.address;
  }
  for (const [condition] of r.objects(status, 'conditions', 'status')) {
    if (condition.type === 'Ready')
      node.ready = condition.status !== 'False' && condition.status !== 'Unknown';
  }
  return node;
}

function readTaints(r: FieldReader, spec: JsonObject): Taint[] {
  const taints: Taint[] = [];
  for (const [item, path] of r.objects(spec, 'taints', 'spec')) {
    r.unknownFields(item, path, TAINT_FIELDS);
    const key = r.string(item, 'key', path);
    const effect = r.oneOf(item, 'effect', path, TAINT_EFFECTS);
    if (!key) r.error('MISSING_FIELD', `${path}.key`, 'Required value');
    if (item.effect === undefined) r.error('MISSING_FIELD', `${path}.effect`, 'Required value');
    if (!key || !effect) continue;
    const value = r.string(item, 'value', path);
    taints.push(value !== undefined ? { key, value, effect } : { key, effect });
  }
  return taints;
}

export function readNamespace(meta: ReadMeta): Namespace {
  return { name: meta.name, labels: meta.labels, createdSeq: 0 };
}
