/**
 * The ipsets kube-proxy's IPVS mode keeps (pkg/proxy/ipvs/ipset.go, the ipsetInfo table of
 * proxier.go): their names, types and the comments its iptables rules carry. Every set is created
 * on every sync, empty or not.
 */
export const IPVS_SET_COMMENTS = {
  'KUBE-LOOP-BACK': 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  'KUBE-CLUSTER-IP': 'Kubernetes service cluster ip + port for masquerade purpose',
  'KUBE-EXTERNAL-IP': 'Kubernetes service external ip + port for masquerade and filter purpose',
  'KUBE-EXTERNAL-IP-LOCAL':
    'Kubernetes service external ip + port with externalTrafficPolicy=local',
  'KUBE-LOAD-BALANCER': 'Kubernetes service lb portal',
  'KUBE-LOAD-BALANCER-FW':
    'Kubernetes service load balancer ip + port for load balancer with sourceRange',
  'KUBE-LOAD-BALANCER-LOCAL':
    'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  'KUBE-LOAD-BALANCER-SOURCE-IP':
    'Kubernetes service load balancer ip + port + source IP for packet filter purpose',
  'KUBE-LOAD-BALANCER-SOURCE-CIDR':
    'Kubernetes service load balancer ip + port + source cidr for packet filter purpose',
  'KUBE-NODE-PORT-TCP': 'Kubernetes nodeport TCP port for masquerade purpose',
  'KUBE-NODE-PORT-LOCAL-TCP': 'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  'KUBE-NODE-PORT-UDP': 'Kubernetes nodeport UDP port for masquerade purpose',
  'KUBE-NODE-PORT-LOCAL-UDP': 'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  'KUBE-NODE-PORT-SCTP-HASH':
    "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
  'KUBE-NODE-PORT-LOCAL-SCTP-HASH':
    "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  'KUBE-HEALTH-CHECK-NODE-PORT': 'Kubernetes health check node port',
  'KUBE-IPVS-IPS': 'Addresses on the ipvs interface',
} as const;

export type IpvsSetName = keyof typeof IPVS_SET_COMMENTS;

const SET_TYPES: Record<IpvsSetName, string> = {
  'KUBE-LOOP-BACK': 'hash:ip,port,ip',
  'KUBE-CLUSTER-IP': 'hash:ip,port',
  'KUBE-EXTERNAL-IP': 'hash:ip,port',
  'KUBE-EXTERNAL-IP-LOCAL': 'hash:ip,port',
  'KUBE-LOAD-BALANCER': 'hash:ip,port',
  'KUBE-LOAD-BALANCER-FW': 'hash:ip,port',
  'KUBE-LOAD-BALANCER-LOCAL': 'hash:ip,port',
  'KUBE-LOAD-BALANCER-SOURCE-IP': 'hash:ip,port,ip',
  'KUBE-LOAD-BALANCER-SOURCE-CIDR': 'hash:ip,port,net',
  'KUBE-NODE-PORT-TCP': 'bitmap:port',
  'KUBE-NODE-PORT-LOCAL-TCP': 'bitmap:port',
  'KUBE-NODE-PORT-UDP': 'bitmap:port',
  'KUBE-NODE-PORT-LOCAL-UDP': 'bitmap:port',
  'KUBE-NODE-PORT-SCTP-HASH': 'hash:ip,port',
  'KUBE-NODE-PORT-LOCAL-SCTP-HASH': 'hash:ip,port',
  'KUBE-HEALTH-CHECK-NODE-PORT': 'bitmap:port',
  'KUBE-IPVS-IPS': 'hash:ip',
};

export const IPVS_SET_NAMES = Object.keys(IPVS_SET_COMMENTS) as IpvsSetName[];

/** One entry per set, as ipset prints members: `10.96.0.10,udp:53`, `30080`, `10.244.1.5,tcp:80,10.244.1.5`. */
export type IpvsSetEntries = Map<IpvsSetName, Set<string>>;

export function emptySetEntries(): IpvsSetEntries {
  return new Map(IPVS_SET_NAMES.map((name) => [name, new Set<string>()]));
}

/**
 * The `create` line kube-proxy's ipset.CreateSet runs: hash types get `family inet hashsize 1024
 * maxelem 65536`, bitmap:port `range 0-65535`. (`ipset save` adds the kernel's own `bucketsize`
 * and a random `initval` to hash sets; neither is kube-proxy's.)
 */
function createLine(name: IpvsSetName): string {
  const type = SET_TYPES[name];
  const options =
    type === 'bitmap:port' ? 'range 0-65535' : 'family inet hashsize 1024 maxelem 65536';
  return `create ${name} ${type} ${options}`;
}

/** Members in a stable order: by address, then the rest of the entry; ports numerically. */
function sortedMembers(entries: Set<string>): string[] {
  const key = (entry: string) =>
    entry
      .split(/[,.:]/)
      .map((part) => (/^\d+$/.test(part) ? part.padStart(5, '0') : part))
      .join('.');
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `ipset save` form of every set: the create line, then one `add` per member. */
export function formatIpsetSave(entries: IpvsSetEntries): string[] {
  const lines: string[] = [];
  for (const name of IPVS_SET_NAMES) {
    lines.push(createLine(name));
    for (const member of sortedMembers(entries.get(name) ?? new Set()))
      lines.push(`add ${name} ${member}`);
  }
  return lines;
}
