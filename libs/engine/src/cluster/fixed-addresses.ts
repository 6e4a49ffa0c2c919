import type { ManifestSet } from '../manifests/manifest-set';
import type { ClusterState, ReservedAddresses } from '../model/cluster-state';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import type { ObjectMeta, Pod } from '../model/resources';
import { cidrContains, ipToInt, parseCidr } from '../util/ip';

/**
 * Addresses a cluster dump fixes — pods' status.podIP, Services' clusterIP and nodePorts — are
 * reserved before anything is allocated (the built-in CoreDNS pods, an ingress controller's
 * Service), so the imported objects keep them. Two objects claiming one address are an error naming
 * both: a real cluster never has that, so the dump was edited or stitched together.
 * Pods whose address cannot stand (no such node, outside the node's range) are warned about.
 */
export function reserveFixedAddresses(state: ClusterState, set: ManifestSet): EngineIssue[] {
  const issues: EngineIssue[] = [];
  const reserved: ReservedAddresses = {
    podIPs: new Map(),
    clusterIPs: new Map(),
    nodePorts: new Map(),
  };
  for (const pod of set.pods) {
    if (!pod.ip) continue;
    const node = state.nodes.get(pod.nodeName);
    if (!node) {
      issues.push(
        problem(
          pod,
          'Pod',
          'warning',
          'spec.nodeName',
          `node "${pod.nodeName}" is not in the input's nodes: the pod is left Pending there, without its address ${pod.ip}`,
        ),
      );
      pod.ip = '';
      pod.phase = 'Pending';
      continue;
    }
    if (pod.hostIP && pod.hostIP !== node.ip)
      issues.push(
        problem(
          pod,
          'Pod',
          'warning',
          'status.hostIP',
          `${pod.hostIP} is not node ${node.name}'s InternalIP ${node.ip}`,
        ),
      );
    if (pod.hostNetwork) {
      pod.ip = node.ip;
      continue;
    }
    const range = parseCidr(node.podCIDR);
    if (range && !cidrContains(range, pod.ip))
      issues.push(
        problem(
          pod,
          'Pod',
          'warning',
          'status.podIP',
          `${pod.ip} is outside node ${node.name}'s pod range ${node.podCIDR}: packets to it are routed by the range, not by the pod`,
        ),
      );
    const other = claim(reserved.podIPs, ipToInt(pod.ip), key(pod));
    if (other) issues.push(conflict(pod, 'Pod', 'status.podIP', pod.ip, `Pod ${other}`));
  }
  // Services: a second claim is refused by the allocator, whose error names the holder.
  for (const svc of set.services) {
    if (svc.clusterIP && svc.clusterIP !== 'None' && !reserved.clusterIPs.has(svc.clusterIP))
      reserved.clusterIPs.set(svc.clusterIP, key(svc));
    for (const port of svc.ports)
      if (port.nodePort && !reserved.nodePorts.has(port.nodePort))
        reserved.nodePorts.set(port.nodePort, key(svc));
    if (svc.healthCheckNodePort && !reserved.nodePorts.has(svc.healthCheckNodePort))
      reserved.nodePorts.set(svc.healthCheckNodePort, key(svc));
  }
  state.reserved = reserved;
  return issues;
}

function key(meta: ObjectMeta): string {
  return `${meta.namespace}/${meta.name}`;
}

/** Records `owner` for `value`; returns the earlier owner when another object already has it. */
function claim<K>(map: Map<K, string>, value: K, owner: string): string | undefined {
  const earlier = map.get(value);
  if (earlier !== undefined && earlier !== owner) return earlier;
  map.set(value, owner);
  return undefined;
}

function conflict(
  meta: ObjectMeta,
  kind: string,
  path: string,
  value: string,
  other: string,
): EngineIssue {
  return problem(
    meta,
    kind,
    'error',
    path,
    `Duplicate value: ${value} is also held by ${other}`,
    'ADDRESS_CONFLICT',
  );
}

function problem(
  meta: ObjectMeta | Pod,
  kind: string,
  severity: 'error' | 'warning',
  path: string,
  message: string,
  code: EngineIssue['code'] = 'INVALID_IP',
): EngineIssue {
  return {
    severity,
    code,
    ...(meta.origin.kind === 'manifest' ? locationFields(meta.origin) : {}),
    object: objectRef(kind, meta.namespace, meta.name),
    path,
    message,
  };
}
