/**
 * The /etc/resolv.conf kubelet writes into a pod (kubernetes/kubernetes pkg/kubelet/network/dns/dns.go,
 * `GetPodDNS`), and the node's own file that dnsPolicy Default copies.
 */
import type { ClusterState } from '../model/cluster-state';
import type { Node, Pod, PodDnsConfig } from '../model/resources';
import { intToIp, parseCidr } from '../util/ip';

export interface ResolvOption {
  name: string;
  value?: string;
}

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: ResolvOption[];
  /** The effective `ndots` (resolver default 1 when no option sets it). */
  ndots: number;
  /** One sentence: why these lines. */
  source: string;
}

/** kubelet's MaxDNSNameservers (pkg/apis/core/validation). */
export const MAX_NAMESERVERS = 3;
/** With ExpandedDNSConfig (GA in 1.28): 32 search domains, 2048 characters on the search line. */
export const MAX_SEARCH_DOMAINS = 32;
export const MAX_SEARCH_LINE_CHARS = 2048;
const MAX_DOMAIN_LENGTH = 253;
/** glibc caps ndots at RES_MAXNDOTS (resolv/resolv.h). */
const MAX_NDOTS = 15;
const CLUSTER_FIRST_OPTIONS: ResolvOption[] = [{ name: 'ndots', value: '5' }];

/** The node's /etc/resolv.conf (kubelet `--resolv-conf`); every simulated node shares the cluster's setting. */
export function nodeResolvConf(state: ClusterState, node: Node): ResolvConf {
  const host = state.config.nodeResolvConf;
  const options = host.options.map(parseOption);
  return {
    nameservers: [...host.nameservers],
    searches: [...host.searches],
    options,
    ndots: ndotsOf(options),
    source: `The node ${node.name}'s own /etc/resolv.conf.`,
  };
}

/**
 * The pod's resolv.conf for its dnsPolicy and dnsConfig. ClusterFirst is the API default; on a
 * hostNetwork pod it falls back to Default (dns.go getPodDNSType); ClusterFirstWithHostNet keeps
 * cluster DNS even there.
 */
export function resolvConfFor(state: ClusterState, pod: Pod): ResolvConf {
  const config = state.config;
  const zone = config.clusterDomain;
  const host = config.nodeResolvConf;
  let base: Omit<ResolvConf, 'ndots' | 'source'>;
  let source: string;
  const clusterFirst =
    pod.dnsPolicy === 'ClusterFirstWithHostNet' ||
    (pod.dnsPolicy === 'ClusterFirst' && !pod.hostNetwork);
  if (pod.dnsPolicy === 'None') {
    base = { nameservers: [], searches: [], options: [] };
    source = "dnsPolicy None: only the pod's dnsConfig.";
  } else if (clusterFirst) {
    base = {
      nameservers: [clusterDnsIP(state)],
      // Cluster search domains first, then the node's, duplicates removed (generateSearchesForDNSClusterFirst).
      searches: omitDuplicates([
        `${pod.namespace}.svc.${zone}`,
        `svc.${zone}`,
        zone,
        ...host.searches,
      ]),
      // The node's options are replaced by kubelet's defaultDNSOptions.
      options: CLUSTER_FIRST_OPTIONS.map((o) => ({ ...o })),
    };
    source = `dnsPolicy ${pod.dnsPolicy}: the cluster DNS Service, the cluster search domains plus the node's, ndots:5.`;
  } else {
    base = {
      nameservers: [...host.nameservers],
      searches: [...host.searches],
      options: host.options.map(parseOption),
    };
    source =
      pod.dnsPolicy === 'ClusterFirst'
        ? "dnsPolicy ClusterFirst on a hostNetwork pod falls back to Default: the node's resolv.conf (use ClusterFirstWithHostNet for cluster DNS)."
        : "dnsPolicy Default: the node's resolv.conf as is.";
  }
  const merged = pod.dnsConfig ? appendDnsConfig(base, pod.dnsConfig) : base;
  if (pod.dnsConfig && pod.dnsPolicy !== 'None')
    source = `${source.slice(0, -1)}, merged with the pod's dnsConfig.`;
  const fitted = fitLimits(merged);
  return { ...fitted, ndots: ndotsOf(fitted.options), source };
}

/**
 * kubelet's clusterDNS: the kube-dns Service's ClusterIP. kubeadm sets the kubelet flag to the 10th
 * address of the service CIDR, so a missing Service still leaves that address in resolv.conf.
 */
export function clusterDnsIP(state: ClusterState): string {
  const svc = state.services.get('kube-system/kube-dns');
  if (svc && svc.clusterIP && svc.clusterIP !== 'None') return svc.clusterIP;
  const cidr = parseCidr(state.config.serviceCIDR);
  return cidr ? intToIp(cidr.base + 10) : '10.96.0.10';
}

/** dns.go appendDNSConfig: nameservers and searches appended without duplicates, options merged by name. */
function appendDnsConfig(
  base: Omit<ResolvConf, 'ndots' | 'source'>,
  extra: PodDnsConfig,
): Omit<ResolvConf, 'ndots' | 'source'> {
  return {
    nameservers: omitDuplicates([...base.nameservers, ...extra.nameservers]),
    searches: omitDuplicates([...base.searches, ...extra.searches]),
    options: mergeOptions(base.options, extra.options),
  };
}

/**
 * dns.go mergeDNSOptions: the pod's option of the same name wins. kubelet rebuilds the list from a
 * Go map (random order); the engine keeps first-seen order so the output is stable.
 */
function mergeOptions(base: ResolvOption[], extra: ResolvOption[]): ResolvOption[] {
  const merged = new Map<string, ResolvOption>();
  for (const option of [...base, ...extra])
    merged.set(
      option.name,
      option.value === undefined || option.value === '' ? { name: option.name } : { ...option },
    );
  return [...merged.values()];
}

/** dns.go formDNSConfigFitsLimits / formDNSSearchFitsLimits. */
function fitLimits(
  conf: Omit<ResolvConf, 'ndots' | 'source'>,
): Omit<ResolvConf, 'ndots' | 'source'> {
  const nameservers = conf.nameservers.slice(0, MAX_NAMESERVERS);
  let searches = conf.searches
    .slice(0, MAX_SEARCH_DOMAINS)
    .filter((d) => d.length <= MAX_DOMAIN_LENGTH);
  let lineLength = searches.join(' ').length;
  while (lineLength > MAX_SEARCH_LINE_CHARS && searches.length) {
    lineLength -= searches[searches.length - 1].length + 1;
    searches = searches.slice(0, -1);
  }
  return { nameservers, searches, options: conf.options };
}

function omitDuplicates(list: string[]): string[] {
  return [...new Set(list)];
}

function parseOption(text: string): ResolvOption {
  const colon = text.indexOf(':');
  return colon < 0 ? { name: text } : { name: text.slice(0, colon), value: text.slice(colon + 1) };
}

function ndotsOf(options: ResolvOption[]): number {
  let ndots = 1;
  for (const option of options) {
    if (option.name !== 'ndots' || option.value === undefined) continue;
    const n = Number.parseInt(option.value, 10);
    if (Number.isFinite(n) && n >= 0) ndots = Math.min(n, MAX_NDOTS);
  }
  return ndots;
}

/** The file as the container runtime writes it: search, nameserver lines, options (each line newline-terminated). */
export function formatResolvConf(rc: ResolvConf): string {
  const lines: string[] = [];
  if (rc.searches.length) lines.push(`search ${rc.searches.join(' ')}`);
  for (const ns of rc.nameservers) lines.push(`nameserver ${ns}`);
  if (rc.options.length)
    lines.push(
      `options ${rc.options.map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`)).join(' ')}`,
    );
  return lines.map((l) => `${l}\n`).join('');
}
