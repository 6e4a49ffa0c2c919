import type { Protocol, Service, ServicePort, ServiceType } from '../model/resources';
import { fieldSet, FieldReader, joinPath, type JsonObject } from './field-reader';
import { manifestMeta } from './object-meta';
import { checkCidrV4, checkIPv4 } from './read-ip-fields';
import { readLabels, type ReadMeta } from './read-metadata';
import { readIpFamilies } from './read-ip-families';
import { nameProblem, portNameProblem, portNumberProblem } from './validate-names';

/** ServiceSpec fields (k8s.io/api core/v1 types.go), so real manifests read without unknown-field warnings. */
const SPEC_FIELDS = fieldSet(
  'ports',
  'selector',
  'clusterIP',
  'clusterIPs',
  'type',
  'externalIPs',
  'sessionAffinity',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'externalName',
  'externalTrafficPolicy',
  'healthCheckNodePort',
  'publishNotReadyAddresses',
  'sessionAffinityConfig',
  'ipFamilies',
  'ipFamilyPolicy',
  'allocateLoadBalancerNodePorts',
  'loadBalancerClass',
  'internalTrafficPolicy',
  'trafficDistribution',
);
const PORT_FIELDS = fieldSet('name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort');
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
/** sessionAffinityConfig.clientIP.timeoutSeconds default and maximum (core/v1 types.go). */
const DEFAULT_AFFINITY_TIMEOUT = 10800;
const MAX_AFFINITY_TIMEOUT = 86400;

/** A v1 Service with the API server's defaulting and validation (pkg/apis/core/validation ValidateService). */
export function readService(r: FieldReader, raw: JsonObject, meta: ReadMeta): Service {
  const spec = r.object(raw, 'spec', '') ?? {};
  r.unknownFields(spec, 'spec', SPEC_FIELDS);
  const type: ServiceType = r.oneOf(spec, 'type', 'spec', TYPES) ?? 'ClusterIP';
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer';
  const clusterIP = readClusterIP(r, spec, type);
  const headless = clusterIP === 'None';
  const ports = readServicePorts(r, spec, type, headless);

  const selectorMap = readLabels(r, spec, 'selector', 'spec');
  const externalIPs = r
    .strings(spec, 'externalIPs', 'spec')
    .filter((ip, i) => checkIPv4(r, ip, `spec.externalIPs[${i}]`));
  const loadBalancerIP = r.string(spec, 'loadBalancerIP', 'spec');
  if (loadBalancerIP !== undefined && loadBalancerIP !== '')
    checkIPv4(r, loadBalancerIP, 'spec.loadBalancerIP');
  const loadBalancerSourceRanges = r
    .strings(spec, 'loadBalancerSourceRanges', 'spec')
    .map((s) => s.trim());
  loadBalancerSourceRanges.forEach((range, i) =>
    checkCidrV4(r, range, `spec.loadBalancerSourceRanges[${i}]`),
  );
  if (loadBalancerSourceRanges.length && type !== 'LoadBalancer')
    r.error(
      'INVALID_FIELD',
      'spec.loadBalancerSourceRanges',
      "Forbidden: may only be used when `type` is 'LoadBalancer'",
    );

  let externalName: string | undefined;
  if (type === 'ExternalName') {
    externalName = r.string(spec, 'externalName', 'spec');
    if (!externalName) r.error('MISSING_FIELD', 'spec.externalName', 'Required value');
    else {
      const problem = nameProblem(externalName.replace(/\.$/, ''), 'dns1123-subdomain');
      if (problem)
        r.error(
          'INVALID_FIELD',
          'spec.externalName',
          `Invalid value: "${externalName}": ${problem}`,
        );
    }
  }

  // validateServiceExternalTrafficPolicy: only externally reachable services (NodePort, LoadBalancer,
  // or externalIPs) may set it; it defaults to Cluster for them.
  const etp = r.oneOf(spec, 'externalTrafficPolicy', 'spec', ['Cluster', 'Local'] as const);
  if (etp && !externallyAccessible && externalIPs.length === 0)
    r.error(
      'INVALID_FIELD',
      'spec.externalTrafficPolicy',
      'Invalid value: may only be set for externally-accessible services',
    );
  const healthCheckNodePort = r.integer(spec, 'healthCheckNodePort', 'spec');
  if (healthCheckNodePort !== undefined && !(type === 'LoadBalancer' && etp === 'Local'))
    r.error(
      'INVALID_FIELD',
      'spec.healthCheckNodePort',
      "Invalid value: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    );

  const sessionAffinity =
    r.oneOf(spec, 'sessionAffinity', 'spec', ['None', 'ClientIP'] as const) ?? 'None';
  const sessionAffinityTimeoutSeconds = readAffinityTimeout(r, spec, sessionAffinity);

  const service: Service = {
    ...manifestMeta(meta, r.context),
    type,
    clusterIP: type === 'ExternalName' ? '' : clusterIP,
    ports,
    externalIPs,
    loadBalancerSourceRanges,
    loadBalancerIngress: readIngressStatus(r, raw),
    externalTrafficPolicy: etp ?? 'Cluster',
    internalTrafficPolicy:
      r.oneOf(spec, 'internalTrafficPolicy', 'spec', ['Cluster', 'Local'] as const) ?? 'Cluster',
    sessionAffinity,
    sessionAffinityTimeoutSeconds,
    publishNotReadyAddresses: r.boolean(spec, 'publishNotReadyAddresses', 'spec') ?? false,
    ipFamilies: readIpFamilies(r, spec),
  };
  // An empty selector map is "no selector": the Service's endpoints are managed by hand.
  if (Object.keys(selectorMap).length) service.selector = selectorMap;
  if (externalName) service.externalName = externalName;
  if (loadBalancerIP) service.loadBalancerIP = loadBalancerIP;
  const allocateNodePorts = r.boolean(spec, 'allocateLoadBalancerNodePorts', 'spec');
  if (type === 'LoadBalancer') service.allocateLoadBalancerNodePorts = allocateNodePorts ?? true;
  else if (allocateNodePorts !== undefined)
    r.error(
      'INVALID_FIELD',
      'spec.allocateLoadBalancerNodePorts',
      "Forbidden: may only be used when `type` is 'LoadBalancer'",
    );
  const loadBalancerClass = r.string(spec, 'loadBalancerClass', 'spec');
  if (loadBalancerClass !== undefined) service.loadBalancerClass = loadBalancerClass;
  if (healthCheckNodePort !== undefined) service.healthCheckNodePort = healthCheckNodePort;
  const trafficDistribution = r.string(spec, 'trafficDistribution', 'spec');
  if (trafficDistribution !== undefined) service.trafficDistribution = trafficDistribution;
  return service;
}

/** `""` (the API server allocates), `None` (headless) or an IPv4 address; `clusterIPs[0]` must agree. */
function readClusterIP(r: FieldReader, spec: JsonObject, type: ServiceType): string {
  const clusterIP = r.string(spec, 'clusterIP', 'spec') ?? '';
  const clusterIPs = r.strings(spec, 'clusterIPs', 'spec');
  if (clusterIPs.length && clusterIP && clusterIPs[0] !== clusterIP)
    r.error(
      'INVALID_FIELD',
      'spec.clusterIPs[0]',
      `Invalid value: "${clusterIPs[0]}": must match \`clusterIP\` "${clusterIP}"`,
    );
  clusterIPs
    .slice(1)
    .forEach((ip, i) =>
      r.warn(
        'UNSUPPORTED',
        `spec.clusterIPs[${i + 1}]`,
        `secondary ClusterIP "${ip}" ignored: the simulated cluster is single-stack IPv4`,
      ),
    );
  const chosen = clusterIP || clusterIPs[0] || '';
  if (type === 'ExternalName') {
    if (chosen)
      r.error(
        'INVALID_FIELD',
        'spec.clusterIP',
        'Forbidden: may not be set for ExternalName services',
      );
    return '';
  }
  if (chosen === 'None') {
    if (type === 'NodePort' || type === 'LoadBalancer')
      r.error(
        'INVALID_FIELD',
        'spec.clusterIP',
        `Invalid value: "None": may not be set to 'None' for ${type} services`,
      );
    return 'None';
  }
  if (chosen && !checkIPv4(r, chosen, 'spec.clusterIP')) return '';
  return chosen;
}

function readServicePorts(
  r: FieldReader,
  spec: JsonObject,
  type: ServiceType,
  headless: boolean,
): ServicePort[] {
  const items = r.objects(spec, 'ports', 'spec');
  if (items.length === 0 && !headless && type !== 'ExternalName')
    r.error('MISSING_FIELD', 'spec.ports', 'Required value');
  const ports: ServicePort[] = [];
  const names = new Set<string>();
  const portProtocols = new Set<string>();
  for (const [item, path] of items) {
    r.unknownFields(item, path, PORT_FIELDS);
    const name = r.string(item, 'name', path);
    if (items.length > 1 && !name) r.error('MISSING_FIELD', `${path}.name`, 'Required value');
    if (name) {
      const problem = nameProblem(name, 'dns1123-label');
      if (problem) r.error('INVALID_FIELD', `${path}.name`, `Invalid value: "${name}": ${problem}`);
      if (names.has(name)) r.error('INVALID_FIELD', `${path}.name`, `Duplicate value: "${name}"`);
      names.add(name);
    }
    const protocol: Protocol = r.oneOf(item, 'protocol', path, PROTOCOLS) ?? 'TCP';
    const port = r.integer(item, 'port', path);
    if (port === undefined) {
      if (item.port === undefined) r.error('MISSING_FIELD', `${path}.port`, 'Required value');
      continue;
    }
    const portProblem = portNumberProblem(port);
    if (portProblem) r.error('INVALID_FIELD', `${path}.port`, portProblem);
    const key = `${port}/${protocol}`;
    if (portProtocols.has(key))
      r.error('INVALID_FIELD', path, `Duplicate value: port ${port} with protocol ${protocol}`);
    portProtocols.add(key);
    const servicePort: ServicePort = {
      protocol,
      port,
      targetPort: readTargetPort(r, item, path, port),
    };
    if (name) servicePort.name = name;
    const appProtocol = r.string(item, 'appProtocol', path);
    if (appProtocol !== undefined) servicePort.appProtocol = appProtocol;
    const nodePort = r.integer(item, 'nodePort', path);
    if (nodePort !== undefined && nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName')
        r.error(
          'INVALID_FIELD',
          `${path}.nodePort`,
          `Forbidden: may not be used when \`type\` is '${type}'`,
        );
      else {
        const problem = portNumberProblem(nodePort);
        if (problem) r.error('INVALID_FIELD', `${path}.nodePort`, problem);
        servicePort.nodePort = nodePort;
      }
    }
    ports.push(servicePort);
  }
  return ports;
}

/** targetPort defaults to `port`; a string is a container port name (IANA_SVC_NAME), so `"8080"` is invalid. */
function readTargetPort(
  r: FieldReader,
  item: JsonObject,
  path: string,
  port: number,
): number | string {
  const raw = item.targetPort;
  const here = `${path}.targetPort`;
  if (raw === undefined || raw === null || raw === 0 || raw === '') return port;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw))
      r.error('INVALID_FIELD', here, `must be an integer or a port name, got ${raw}`);
    const problem = portNumberProblem(raw);
    if (problem) r.error('INVALID_FIELD', here, problem);
    return raw;
  }
  if (typeof raw === 'string') {
    const problem = portNameProblem(raw);
    if (problem) r.error('INVALID_FIELD', here, `Invalid value: "${raw}": ${problem}`);
    return raw;
  }
  r.error('INVALID_FIELD', here, 'must be an integer or a port name');
  return port;
}

function readAffinityTimeout(
  r: FieldReader,
  spec: JsonObject,
  affinity: 'None' | 'ClientIP',
): number {
  const config = r.object(spec, 'sessionAffinityConfig', 'spec');
  const clientIP = config ? r.object(config, 'clientIP', 'spec.sessionAffinityConfig') : undefined;
  const timeout = clientIP
    ? r.integer(clientIP, 'timeoutSeconds', 'spec.sessionAffinityConfig.clientIP')
    : undefined;
  if (config && affinity === 'None')
    r.error(
      'INVALID_FIELD',
      'spec.sessionAffinityConfig',
      'Invalid value: must not be set when `sessionAffinity` is None',
    );
  if (timeout === undefined) return DEFAULT_AFFINITY_TIMEOUT;
  if (timeout <= 0 || timeout > MAX_AFFINITY_TIMEOUT)
    r.error(
      'INVALID_FIELD',
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
      `Invalid value: ${timeout}: must be greater than 0 and less than ${MAX_AFFINITY_TIMEOUT}`,
    );
  return timeout;
}

/** status.loadBalancer.ingress, as a cloud controller or MetalLB would have written it. */
function readIngressStatus(r: FieldReader, raw: JsonObject): { ip?: string; hostname?: string }[] {
  const status = r.object(raw, 'status', '');
  const lb = status ? r.object(status, 'loadBalancer', 'status') : undefined;
  if (!lb) return [];
  const out: { ip?: string; hostname?: string }[] = [];
  for (const [item, path] of r.objects(lb, 'ingress', 'status.loadBalancer')) {
    const entry: { ip?: string; hostname?: string } = {};
    const ip = r.string(item, 'ip', path);
    if (ip !== undefined && checkIPv4(r, ip, joinPath(path, 'ip'))) entry.ip = ip;
    const hostname = r.string(item, 'hostname', path);
    if (hostname !== undefined) entry.hostname = hostname;
    if (entry.ip || entry.hostname) out.push(entry);
  }
  return out;
}
