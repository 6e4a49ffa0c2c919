import type { ManifestSet, NodeObject } from '../manifests/manifest-set';
import {
  INGRESS_PROFILE_NAMES,
  type ClusterConfig,
  type CniMode,
  type CniPlugin,
} from '../model/cluster-config';
import { objectRef, type EngineIssue } from '../model/issues';
import { CONTROLLER_PROFILES } from '../ingress/controller-profiles';
import { isObject } from '../manifests/field-reader';
import { cidrContains, formatCidr, ipToInt, parseCidr, type Cidr } from '../util/ip';

/** Calico IPAM hands each node /26 blocks of the IP pool (IPPool blockSize default 26). */
const CALICO_BLOCK_PREFIX = 26;
/** kubeadm, kind and k3s default to a /16 for pods and Services; a dump is widened to at least that. */
const DEFAULT_RANGE_PREFIX = 16;
/** The widest service CIDR the API server accepts (--service-cluster-ip-range is at most a /12). */
const WIDEST_SERVICE_PREFIX = 12;
/** k3s sets this label on every node it runs (pkg/agent: node.kubernetes.io/instance-type). */
const K3S_INSTANCE_TYPE = 'k3s';

/**
 * A cluster dump (Node objects in the input, no Cluster document saying otherwise) describes its
 * cluster's ranges and add-ons without naming them: the pod CIDR covers the nodes' podCIDRs, the
 * service CIDR starts at the `kubernetes` Service's address (the first of the range), the CNI is
 * the one whose DaemonSet runs (or k3s's built-in flannel), k3s runs ServiceLB. What is inferred
 * is written into `set.cluster` and reported in one info issue.
 */
export function inferFromDump(set: ManifestSet): EngineIssue[] {
  if (!set.nodes.length) return [];
  const given = new Set(set.clusterFields);
  const config = set.cluster;
  const found: string[] = [];
  if (!given.has('cni')) {
    const cni = inferCni(set);
    if (cni) {
      config.cni = cni;
      found.push(`CNI ${cni.plugin} (${cni.mode})`);
    }
  }
  const warnings: EngineIssue[] = [];
  if (config.cni.plugin === 'calico') found.push(...calicoBlocks(set, warnings));
  if (!given.has('podCIDR') && !given.has('nodeCIDRMaskSize')) {
    const pods = inferPodRanges(set, config);
    if (pods) found.push(pods);
  }
  if (!given.has('serviceCIDR')) {
    const services = inferServiceCIDR(set, config);
    if (services) found.push(services);
  }
  if (!given.has('loadBalancer') && isK3s(set) && !config.loadBalancer) {
    config.loadBalancer = {
      provider: 'servicelb',
      addresses: [],
      cloudTargets: 'instance',
      cloudHostnames: false,
    };
    found.push('load balancer k3s ServiceLB');
  }
  if (!given.has('ingressControllers')) found.push(...foundIngressControllers(set));
  if (!found.length) return warnings;
  return [
    ...warnings,
    {
      severity: 'info',
      code: 'INFERRED',
      message: `cluster settings inferred from the input's Nodes and Services: ${found.join('; ')}`,
    },
  ];
}

/**
 * Ingress controllers the dump has installed: an IngressClass naming a controller the engine has a
 * profile for, and pods labelled with that product's `app.kubernetes.io/name` behind a Service. The
 * controller then routes Ingresses as one installed from `spec.ingressControllers` does, from the
 * namespace and Service it runs under in the dump.
 */
function foundIngressControllers(set: ManifestSet): string[] {
  const controllers = new Set(
    set.objects
      .filter((o) => o.kind === 'IngressClass')
      .map((o) => (isObject(o.body.spec) ? o.body.spec.controller : undefined))
      .filter((c): c is string => typeof c === 'string'),
  );
  const notes: string[] = [];
  const out: NonNullable<ClusterConfig['ingressControllers']> = [];
  for (const name of INGRESS_PROFILE_NAMES) {
    const profile = CONTROLLER_PROFILES[name];
    if (!controllers.has(profile.controller)) continue;
    const pod = set.pods.find((p) => p.labels['app.kubernetes.io/name'] === profile.appName);
    if (!pod) continue;
    const service = set.services.find(
      (s) =>
        s.namespace === pod.namespace &&
        s.selector &&
        Object.keys(s.selector).length > 0 &&
        Object.entries(s.selector).every(([k, v]) => pod.labels[k] === v),
    );
    if (!service) continue;
    out.push({
      profile: name,
      serviceType: service.type === 'LoadBalancer' ? 'LoadBalancer' : 'NodePort',
      found: { namespace: service.namespace, service: service.name },
    });
    notes.push(
      `ingress controller ${profile.product} (Service ${service.namespace}/${service.name})`,
    );
  }
  if (out.length) set.cluster.ingressControllers = out;
  return notes;
}

function isK3s(set: ManifestSet): boolean {
  return set.nodes.some(
    (n) => n.labels?.['node.kubernetes.io/instance-type'] === K3S_INSTANCE_TYPE,
  );
}

/** The CNI whose agent DaemonSet the dump has (kube-system or its own namespace), or k3s's flannel. */
function inferCni(set: ManifestSet): { plugin: CniPlugin; mode: CniMode } | null {
  const names = set.daemonSets.map((ds) => ds.name);
  const has = (pattern: RegExp) => names.some((name) => pattern.test(name));
  if (has(/^calico-node$/)) return { plugin: 'calico', mode: 'ipip' };
  if (has(/^cilium$/)) return { plugin: 'cilium', mode: 'tunnel' };
  if (has(/^kindnet$/)) return { plugin: 'kindnet', mode: 'static-routes' };
  // k3s runs flannel inside its own process (no DaemonSet), with the vxlan backend by default.
  if (has(/^kube-flannel(-ds)?$/) || isK3s(set)) return { plugin: 'flannel', mode: 'vxlan' };
  return null;
}

/**
 * Calico IPAM ignores spec.podCIDR: each node takes /26 blocks of the pool and its pods' addresses
 * come from them. A node's range in the simulated cluster is the block its pods' addresses are in.
 */
function calicoBlocks(set: ManifestSet, warnings: EngineIssue[]): string[] {
  const notes: string[] = [];
  for (const node of set.nodes) {
    const blocks = new Set<number>();
    for (const pod of set.pods)
      if (pod.nodeName === node.name && pod.ip && !pod.hostNetwork)
        blocks.add(blockOf(pod.ip, CALICO_BLOCK_PREFIX));
    if (blocks.size > 1) {
      const list = [...blocks]
        .sort((a, b) => a - b)
        .map((base) =>
          formatCidr({ base, prefix: CALICO_BLOCK_PREFIX, size: 2 ** (32 - CALICO_BLOCK_PREFIX) }),
        );
      warnings.push({
        severity: 'warning',
        code: 'NOT_SIMULATED',
        object: objectRef('Node', undefined, node.name),
        message: `node ${node.name} has pods in ${blocks.size} Calico blocks (${list.join(', ')}); the simulation gives a node one pod range, so it keeps the node's spec.podCIDR${node.podCIDR ? ` (${node.podCIDR})` : ''} and routes to its pods outside that range may differ from the cluster's`,
      });
    }
    if (blocks.size !== 1) continue;
    const block = formatCidr({
      base: [...blocks][0],
      prefix: CALICO_BLOCK_PREFIX,
      size: 2 ** (32 - CALICO_BLOCK_PREFIX),
    });
    if (node.podCIDR !== block) notes.push(`node ${node.name} Calico block ${block}`);
    node.podCIDR = block;
  }
  return notes;
}

function blockOf(ip: string | number, prefix: number): number {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return ((typeof ip === 'number' ? ip : ipToInt(ip)) & mask) >>> 0;
}

/** The smallest CIDR holding every range and address, widened to at least `widest`. */
function cover(ranges: Cidr[], widest: number): Cidr | null {
  if (!ranges.length) return null;
  let prefix = Math.min(widest, ...ranges.map((r) => r.prefix));
  const first = ranges[0].base;
  const fits = (p: number) => ranges.every((r) => blockOf(r.base, p) === blockOf(first, p));
  while (prefix > 0 && !fits(prefix)) prefix--;
  return { base: blockOf(first, prefix), prefix, size: 2 ** (32 - prefix) };
}

function nodeRanges(nodes: NodeObject[]): Cidr[] {
  return nodes.map((n) => (n.podCIDR ? parseCidr(n.podCIDR) : null)).filter((c) => c !== null);
}

function inferPodRanges(set: ManifestSet, config: ClusterConfig): string | null {
  const ranges = nodeRanges(set.nodes);
  for (const pod of set.pods)
    if (pod.ip && !pod.hostNetwork) ranges.push({ base: ipToInt(pod.ip), prefix: 32, size: 1 });
  const cidr = cover(ranges, DEFAULT_RANGE_PREFIX);
  if (!cidr) return null;
  const nodePrefixes = new Set(nodeRanges(set.nodes).map((r) => r.prefix));
  if (nodePrefixes.size === 1) config.nodeCIDRMaskSize = [...nodePrefixes][0];
  config.podCIDR = formatCidr(cidr);
  return `pod CIDR ${config.podCIDR} (/${config.nodeCIDRMaskSize} per node)`;
}

/** The `kubernetes` Service takes the first address of the service CIDR (kube-apiserver). */
function inferServiceCIDR(set: ManifestSet, config: ClusterConfig): string | null {
  const kubernetes = set.services.find((s) => s.namespace === 'default' && s.name === 'kubernetes');
  if (!kubernetes?.clusterIP || kubernetes.clusterIP === 'None') return null;
  const start = ipToInt(kubernetes.clusterIP) - 1;
  const addresses = set.services
    .map((s) => s.clusterIP)
    .filter((ip) => ip && ip !== 'None' && !ip.includes(':'));
  for (let prefix = DEFAULT_RANGE_PREFIX; prefix >= WIDEST_SERVICE_PREFIX; prefix--) {
    const cidr = { base: blockOf(start, prefix), prefix, size: 2 ** (32 - prefix) };
    if (addresses.every((ip) => cidrContains(cidr, ip))) {
      config.serviceCIDR = formatCidr(cidr);
      return `service CIDR ${config.serviceCIDR}`;
    }
  }
  return null;
}
