import {
  defaultClusterConfig,
  type ClusterConfig,
  type CniMode,
  type CniPlugin,
  type KubeProxyMode,
  type NodeSpec,
  type UpstreamRecord,
} from '../model/cluster-config';
import { cidrContains, formatCidr, parseCidr, type Cidr } from '../util/ip';
import { fieldSet, FieldReader, isObject, type JsonObject } from './field-reader';
import { checkCidrV4, checkIPv4 } from './read-ip-fields';
import { readDnsRecord } from './read-dns-record';
import { readShortForm } from './read-short-form';
import { readLabels } from './read-metadata';
import { nameProblem } from './validate-names';
import { readNorthSouthConfig } from './read-load-balancer-config';
import { readIngressControllers } from './read-ingress-controllers';
import { LISTEN_PORTS_MODES } from './listen-ports';

const SPEC_FIELDS = fieldSet(
  'nodes',
  'podCIDR',
  'podCIDRs',
  'nodeCIDRMaskSize',
  'serviceCIDR',
  'serviceCIDRs',
  'clusterDomain',
  'cni',
  'kubeProxy',
  'nodePortRange',
  'seed',
  'externalClient',
  'upstreamDNS',
  'nodeResolvConf',
  'ipFamilies',
  'loadBalancer',
  'externalDNS',
  'ingressControllers',
  'listenPorts',
);
const NODE_FIELDS = fieldSet('name', 'ip', 'role', 'labels');
const PLUGINS = ['kindnet', 'flannel', 'calico', 'cilium'] as const;
/** The mode each plugin runs in out of the box, and the alternatives the engine simulates. */
const CNI_MODES: Record<CniPlugin, readonly CniMode[]> = {
  kindnet: ['static-routes'],
  flannel: ['vxlan'],
  calico: ['bgp', 'ipip'],
  cilium: ['tunnel', 'native'],
};
const PROXY_MODES = ['iptables', 'ipvs', 'nftables'] as const;
/** IPVS schedulers kube-proxy accepts (website virtual-ips.md). */
const IPVS_SCHEDULERS = [
  'rr',
  'lc',
  'dh',
  'sh',
  'sed',
  'nq',
  'wrr',
  'wlc',
  'lblc',
  'lblcr',
  'mh',
] as const;
const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;

/**
 * `kind: Cluster` (netplay.dev/v1alpha1): every field optional, defaults from defaultClusterConfig()
 * (a three-node kind cluster). Cross-field rules: the service CIDR must not overlap the pod CIDR, and
 * node IPs must lie outside both — as kubeadm requires of podSubnet/serviceSubnet.
 */
export function readClusterConfig(r: FieldReader, raw: JsonObject, name: string): ClusterConfig {
  const config = defaultClusterConfig();
  config.name = name;
  const spec = r.object(raw, 'spec', '') ?? {};
  r.unknownFields(spec, 'spec', SPEC_FIELDS);

  const podCIDR = r.string(spec, 'podCIDR', 'spec');
  if (podCIDR !== undefined && checkCidrV4(r, podCIDR, 'spec.podCIDR')) config.podCIDR = podCIDR;
  const serviceCIDR = r.string(spec, 'serviceCIDR', 'spec');
  if (serviceCIDR !== undefined && checkCidrV4(r, serviceCIDR, 'spec.serviceCIDR'))
    config.serviceCIDR = serviceCIDR;
  readDualStack(r, spec, config);

  const mask = r.integer(spec, 'nodeCIDRMaskSize', 'spec');
  const pods = parseCidr(config.podCIDR) as Cidr;
  if (mask !== undefined) {
    if (mask < pods.prefix || mask > 30)
      r.error(
        'INVALID_FIELD',
        'spec.nodeCIDRMaskSize',
        `Invalid value: ${mask}: must be between the pod CIDR prefix (/${pods.prefix}) and 30`,
      );
    else config.nodeCIDRMaskSize = mask;
  }
  const domain = r.string(spec, 'clusterDomain', 'spec');
  if (domain !== undefined) {
    const problem = nameProblem(domain, 'dns1123-subdomain');
    if (problem)
      r.error('INVALID_FIELD', 'spec.clusterDomain', `Invalid value: "${domain}": ${problem}`);
    else config.clusterDomain = domain;
  }
  readCni(r, spec, config);
  readKubeProxy(r, spec, config);
  readNodePortRange(r, spec, config);
  const seed = spec.seed;
  if (typeof seed === 'string' || typeof seed === 'number') config.seed = String(seed);
  else if (seed !== undefined && seed !== null)
    r.error('INVALID_FIELD', 'spec.seed', 'must be a string or a number');
  const external = r.string(spec, 'externalClient', 'spec');
  if (external !== undefined && checkIPv4(r, external, 'spec.externalClient'))
    config.externalClientIP = external;
  readUpstreamDns(r, spec, config);
  readNodeResolvConf(r, spec, config);
  readNorthSouthConfig(r, spec, config);
  readIngressControllers(r, spec, config);
  config.listenPorts =
    r.oneOf(spec, 'listenPorts', 'spec', LISTEN_PORTS_MODES) ?? config.listenPorts;
  if (spec.nodes !== undefined) config.nodes = readNodes(r, spec);

  const services = parseCidr(config.serviceCIDR) as Cidr;
  if (cidrContains(pods, services.base) || cidrContains(services, pods.base))
    r.error(
      'INVALID_CIDR',
      'spec.serviceCIDR',
      `Invalid value: "${formatCidr(services)}": overlaps the pod CIDR ${formatCidr(pods)}`,
    );
  config.nodes.forEach((node, i) => {
    if (cidrContains(pods, node.ip))
      r.error(
        'INVALID_IP',
        `spec.nodes[${i}].ip`,
        `Invalid value: "${node.ip}": inside the pod CIDR ${config.podCIDR}`,
      );
    if (cidrContains(services, node.ip))
      r.error(
        'INVALID_IP',
        `spec.nodes[${i}].ip`,
        `Invalid value: "${node.ip}": inside the service CIDR ${config.serviceCIDR}`,
      );
  });
  return config;
}

function readNodes(r: FieldReader, spec: JsonObject): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  const names = new Set<string>();
  const ips = new Set<string>();
  const items = r.objects(spec, 'nodes', 'spec');
  if (items.length === 0)
    r.error('MISSING_FIELD', 'spec.nodes', 'Required value: at least one node');
  for (const [item, path] of items) {
    r.unknownFields(item, path, NODE_FIELDS);
    const name = r.string(item, 'name', path);
    const ip = r.string(item, 'ip', path);
    if (!name) r.error('MISSING_FIELD', `${path}.name`, 'Required value');
    else {
      const problem = nameProblem(name, 'dns1123-subdomain');
      if (problem) r.error('INVALID_NAME', `${path}.name`, `Invalid value: "${name}": ${problem}`);
      if (names.has(name)) r.error('INVALID_FIELD', `${path}.name`, `Duplicate value: "${name}"`);
      names.add(name);
    }
    if (!ip) r.error('MISSING_FIELD', `${path}.ip`, 'Required value');
    else if (checkIPv4(r, ip, `${path}.ip`)) {
      if (ips.has(ip)) r.error('INVALID_IP', `${path}.ip`, `Duplicate value: "${ip}"`);
      ips.add(ip);
    }
    const role = r.oneOf(item, 'role', path, ['control-plane', 'worker'] as const) ?? 'worker';
    if (!name || !ip) continue;
    const node: NodeSpec = { name, ip, role };
    if (item.labels !== undefined) node.labels = readLabels(r, item, 'labels', path);
    nodes.push(node);
  }
  return nodes.length ? nodes : defaultClusterConfig().nodes;
}

/** `cni: calico` or `cni: {plugin: calico, mode: ipip}`; each plugin's default mode is its first listed one. */
function readCni(r: FieldReader, spec: JsonObject, config: ClusterConfig): void {
  const raw = spec.cni;
  if (raw === undefined || raw === null) return;
  const obj = readShortForm(
    r,
    raw,
    'spec.cni',
    'plugin',
    'must be a plugin name or {plugin, mode}',
  );
  r.unknownFields(obj, 'spec.cni', fieldSet('plugin', 'mode'));
  const plugin = r.oneOf(obj, 'plugin', 'spec.cni', PLUGINS);
  if (!plugin) {
    if (obj.plugin === undefined && isObject(raw))
      r.error('MISSING_FIELD', 'spec.cni.plugin', 'Required value');
    return;
  }
  const mode = r.oneOf(obj, 'mode', 'spec.cni', CNI_MODES[plugin]) ?? CNI_MODES[plugin][0];
  config.cni = { plugin, mode };
}

function readKubeProxy(r: FieldReader, spec: JsonObject, config: ClusterConfig): void {
  const raw = spec.kubeProxy;
  if (raw === undefined || raw === null) return;
  const obj = readShortForm(
    r,
    raw,
    'spec.kubeProxy',
    'mode',
    'must be a mode or {mode, ipvsScheduler}',
  );
  r.unknownFields(obj, 'spec.kubeProxy', fieldSet('mode', 'ipvsScheduler'));
  const mode: KubeProxyMode =
    r.oneOf(obj, 'mode', 'spec.kubeProxy', PROXY_MODES) ?? config.kubeProxy.mode;
  const scheduler =
    r.oneOf(obj, 'ipvsScheduler', 'spec.kubeProxy', IPVS_SCHEDULERS) ??
    config.kubeProxy.ipvsScheduler;
  if (obj.ipvsScheduler !== undefined && mode !== 'ipvs')
    r.warn('INVALID_FIELD', 'spec.kubeProxy.ipvsScheduler', 'only used when `mode` is ipvs');
  config.kubeProxy = { mode, ipvsScheduler: scheduler };
}

/** `"30000-32767"` (kube-apiserver --service-node-port-range syntax) or `{from, to}`. */
function readNodePortRange(r: FieldReader, spec: JsonObject, config: ClusterConfig): void {
  const raw = spec.nodePortRange;
  if (raw === undefined || raw === null) return;
  let from: number | undefined;
  let to: number | undefined;
  if (typeof raw === 'string') {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(raw);
    if (m) [from, to] = [Number(m[1]), Number(m[2])];
  } else if (isObject(raw)) {
    r.unknownFields(raw, 'spec.nodePortRange', fieldSet('from', 'to'));
    from = r.integer(raw, 'from', 'spec.nodePortRange');
    to = r.integer(raw, 'to', 'spec.nodePortRange');
  }
  if (from === undefined || to === undefined || from < 1 || to > 65535 || from > to) {
    r.error(
      'INVALID_FIELD',
      'spec.nodePortRange',
      `Invalid value: ${JSON.stringify(raw)}: must be "FROM-TO" or {from, to} with 1 <= from <= to <= 65535`,
    );
    return;
  }
  config.nodePortRange = { from, to };
}

/**
 * `upstreamDNS` as a list REPLACES the default upstream zone (the learner describes the whole
 * outside world); `{records, merge: true}` adds to it, records for the same name and type
 * replacing the default ones. `{records}` without merge also replaces.
 */
function readUpstreamDns(r: FieldReader, spec: JsonObject, config: ClusterConfig): void {
  const raw = spec.upstreamDNS;
  if (raw === undefined || raw === null) return;
  let holder: JsonObject;
  let merge = false;
  let path = 'spec';
  let key = 'upstreamDNS';
  if (Array.isArray(raw)) holder = spec;
  else if (isObject(raw)) {
    r.unknownFields(raw, 'spec.upstreamDNS', fieldSet('records', 'merge'));
    merge = r.boolean(raw, 'merge', 'spec.upstreamDNS') ?? false;
    [holder, path, key] = [raw, 'spec.upstreamDNS', 'records'];
  } else {
    r.error('INVALID_FIELD', 'spec.upstreamDNS', 'must be a list of records or {records, merge}');
    return;
  }
  const records: UpstreamRecord[] = [];
  for (const [item, itemPath] of r.objects(holder, key, path)) {
    const record = readDnsRecord(r, item, itemPath, RECORD_TYPES);
    if (!record) continue;
    if (record.type === 'A') checkIPv4(r, record.data, `${itemPath}.data`);
    records.push(record);
  }
  if (!merge) {
    config.upstreamZone = records;
    return;
  }
  const replaced = new Set(records.map((rec) => `${rec.name}/${rec.type}`));
  config.upstreamZone = [
    ...config.upstreamZone.filter((rec) => !replaced.has(`${rec.name}/${rec.type}`)),
    ...records,
  ];
}

function readNodeResolvConf(r: FieldReader, spec: JsonObject, config: ClusterConfig): void {
  const raw = r.object(spec, 'nodeResolvConf', 'spec');
  if (!raw) return;
  const path = 'spec.nodeResolvConf';
  r.unknownFields(raw, path, fieldSet('nameservers', 'searches', 'options'));
  const conf = config.nodeResolvConf;
  if (raw.nameservers !== undefined)
    conf.nameservers = r
      .strings(raw, 'nameservers', path)
      .filter((ns, i) => checkIPv4(r, ns, `${path}.nameservers[${i}]`));
  if (raw.searches !== undefined) conf.searches = r.strings(raw, 'searches', path);
  if (raw.options !== undefined) conf.options = r.strings(raw, 'options', path);
}

/** Dual-stack is parsed and recorded in `unsupported` so traces can say the engine ignored it. */
function readDualStack(r: FieldReader, spec: JsonObject, config: ClusterConfig): void {
  const families = r.strings(spec, 'ipFamilies', 'spec');
  if (families.some((f) => f !== 'IPv4')) {
    config.unsupported.push('dual-stack (spec.ipFamilies)');
    r.warn(
      'UNSUPPORTED',
      'spec.ipFamilies',
      'dual-stack is not simulated: the cluster is single-stack IPv4',
    );
  }
  for (const field of ['podCIDRs', 'serviceCIDRs'] as const) {
    const list = r.strings(spec, field, 'spec');
    const single = field === 'podCIDRs' ? 'podCIDR' : 'serviceCIDR';
    list.forEach((cidr, i) => {
      if (cidr.includes(':')) {
        config.unsupported.push(`IPv6 ${single} ${cidr}`);
        r.warn(
          'UNSUPPORTED',
          `spec.${field}[${i}]`,
          `IPv6 range "${cidr}" ignored: the cluster is single-stack IPv4`,
        );
      } else if (checkCidrV4(r, cidr, `spec.${field}[${i}]`) && spec[single] === undefined)
        config[single] = cidr;
    });
  }
}
