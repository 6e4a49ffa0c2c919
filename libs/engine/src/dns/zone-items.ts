/**
 * Which Services, endpoints or pod addresses a name inside the cluster zone refers to — the
 * `kubernetes` plugin's parseRequest + findServices/findPods (coredns plugin/kubernetes/parse.go,
 * kubernetes.go), before the answer is shaped by query type.
 */
import type { ClusterState } from '../model/cluster-state';
import { isIP } from '../util/ip';
import { serviceFqdn } from './dns-names';
import { publishedEndpoints } from './published-endpoints';

export interface ZoneItem {
  kind: 'address' | 'cname';
  /** An address, or the CNAME target for an ExternalName Service. */
  host: string;
  /** null for a port-less endpoint (no SRV). */
  port: number | null;
  /** The name an SRV record points at. */
  target: string;
}

export type ZoneLookup =
  | { kind: 'items'; items: ZoneItem[] }
  | { kind: 'nxdomain'; note?: string }
  | { kind: 'nodata'; note?: string };

interface ParsedName {
  podOrSvc: 'pod' | 'svc';
  namespace: string;
  service: string;
  endpoint: string;
  port: string;
  protocol: string;
}

/**
 * parse.go: `[_port._protocol. | endpoint.]service.namespace.(svc|pod).zone`. Two labels before the
 * service are always port and protocol (underscores stripped); more are NXDOMAIN.
 */
function parseName(labels: string[]): ParsedName | 'apex' | null {
  if (labels.length === 0) return 'apex';
  const last = labels.length - 1;
  const podOrSvc = labels[last];
  if (podOrSvc !== 'pod' && podOrSvc !== 'svc') return null;
  const parsed: ParsedName = {
    podOrSvc,
    namespace: labels[last - 1] ?? '',
    service: labels[last - 2] ?? '',
    endpoint: '',
    port: '',
    protocol: '',
  };
  const rest = labels.slice(0, Math.max(0, last - 2));
  if (rest.length === 1) parsed.endpoint = rest[0];
  else if (rest.length === 2) {
    parsed.port = stripUnderscore(rest[0]);
    parsed.protocol = stripUnderscore(rest[1]);
  } else if (rest.length > 2) return null;
  return parsed;
}

function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}

/** matchPortAndProtocol: an empty query field matches anything; names compare case-insensitively. */
function portMatches(parsed: ParsedName, name: string | undefined, protocol: string): boolean {
  return (
    (parsed.port === '' || parsed.port === (name ?? '').toLowerCase()) &&
    (parsed.protocol === '' || parsed.protocol === protocol.toLowerCase())
  );
}

export function findZoneItems(state: ClusterState, labels: string[], zone: string): ZoneLookup {
  const parsed = parseName(labels);
  if (parsed === 'apex') return { kind: 'nodata' };
  if (!parsed)
    return {
      kind: 'nxdomain',
      note: `Not a name the kubernetes plugin serves: ${labels.join('.')}.${zone} is neither under svc.${zone} nor pod.${zone}.`,
    };
  if (!parsed.namespace) return { kind: 'nodata' };
  if (!state.namespaces.has(parsed.namespace))
    return { kind: 'nxdomain', note: `Namespace "${parsed.namespace}" does not exist.` };
  // An existing namespace is an empty non-terminal: NOERROR without records (findServices "NODATA").
  if (!parsed.service) return { kind: 'nodata' };
  return parsed.podOrSvc === 'pod' ? findPod(parsed, zone) : findService(state, parsed, zone);
}

/**
 * `pods insecure`: the dashed address in the name is answered as is, whether or not a pod has it
 * (kube-dns compatible); only the namespace must exist.
 */
function findPod(parsed: ParsedName, zone: string): ZoneLookup {
  const label = parsed.service;
  const dashes = label.split('-').length - 1;
  const ip =
    dashes === 3 && !label.includes('--') ? label.replace(/-/g, '.') : label.replace(/-/g, ':');
  if (!isIP(ip)) return { kind: 'nxdomain', note: `"${label}" is not a dashed IP address.` };
  return {
    kind: 'items',
    items: [
      { kind: 'address', host: ip, port: null, target: `${label}.${parsed.namespace}.pod.${zone}` },
    ],
  };
}

function findService(state: ClusterState, parsed: ParsedName, zone: string): ZoneLookup {
  const svc = state.services.get(`${parsed.namespace}/${parsed.service}`);
  if (!svc)
    return {
      kind: 'nxdomain',
      note: `No Service "${parsed.service}" in namespace "${parsed.namespace}".`,
    };
  const fqdn = serviceFqdn(svc.name, svc.namespace, zone);
  if (svc.type === 'ExternalName') {
    // ExternalName Services have no endpoints, so no sub-names; an IP as externalName is no valid CNAME target.
    if (parsed.endpoint)
      return { kind: 'nxdomain', note: `ExternalName Service ${svc.name} has no sub-names.` };
    const target = (svc.externalName ?? '').toLowerCase().replace(/\.$/, '');
    if (!target || isIP(target))
      return {
        kind: 'nxdomain',
        note: `ExternalName "${svc.externalName ?? ''}" is not a DNS name; CoreDNS serves nothing for it.`,
      };
    return { kind: 'items', items: [{ kind: 'cname', host: target, port: 0, target }] };
  }
  const items: ZoneItem[] = [];
  const headless = svc.clusterIP === 'None';
  if (headless || parsed.endpoint) {
    // Endpoint names resolve for every Service with endpoints, not only headless ones (kubernetes.go findServices).
    for (const ep of publishedEndpoints(state, svc)) {
      if (parsed.endpoint && parsed.endpoint !== ep.name.toLowerCase()) continue;
      const target = `${ep.name}.${fqdn}`;
      if (!ep.ports.length) {
        if (!parsed.port && !parsed.protocol)
          items.push({ kind: 'address', host: ep.ip, port: null, target });
        continue;
      }
      for (const p of ep.ports)
        if (portMatches(parsed, p.name, p.protocol))
          items.push({ kind: 'address', host: ep.ip, port: p.port, target });
    }
    if (!items.length) {
      const why = parsed.endpoint
        ? `No ready endpoint named "${parsed.endpoint}"`
        : 'The headless Service has no ready endpoints';
      return { kind: 'nxdomain', note: `${why} (${fqdn}).` };
    }
    return { kind: 'items', items };
  }
  if (!svc.clusterIP) return { kind: 'nxdomain', note: `Service ${svc.name} has no ClusterIP.` };
  for (const p of svc.ports)
    if (portMatches(parsed, p.name, p.protocol))
      items.push({ kind: 'address', host: svc.clusterIP, port: p.port, target: fqdn });
  if (!items.length)
    return {
      kind: 'nxdomain',
      note: `Service ${svc.name} has no port named "${parsed.port}" with protocol ${parsed.protocol || 'any'}.`,
    };
  return { kind: 'items', items };
}
