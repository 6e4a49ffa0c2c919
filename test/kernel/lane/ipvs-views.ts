import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterState } from '@netplay/engine';
import type { Agents } from './agents';
import { deleteNamespaces, runPrefix } from './namespaces';
import { engineClaim, probesFor, type Probe } from './probes';
import { diffLines, normalizeIpset, normalizeIptablesSave } from './rules';
import { exec, execInNs } from './shell';
import { sections, view, type KernelCluster } from './topology';

/**
 * IPVS mode's views checked against real tools (docs/kernel-lane.md). This kernel has no
 * CONFIG_IP_VS, so the virtual servers go through Debian's own ipvsadm with the IPVS netlink
 * family answered in user space (agents/ipvs-genl.c); everything else goes into a namespace.
 */
export interface IpvsTools {
  /** The built responder library, preloaded into ipvsadm. */
  responder: string;
  /** Whether `ip link add … type dummy` works here (CONFIG_DUMMY). */
  dummy: boolean;
  /** Where the responder keeps each check's state file. */
  dir: string;
}

export function ipvsTools(agents: Agents, dummy: boolean): IpvsTools {
  return {
    responder: agents.ipvsResponder,
    dummy,
    dir: mkdtempSync(join(tmpdir(), 'netplay-ipvs-')),
  };
}

export function releaseIpvsTools(tools: IpvsTools): void {
  rmSync(tools.dir, { recursive: true, force: true });
}

/** ipvsadm's save and restore scripts with the IPVS family answered from `state`. */
function ipvsadm(tools: IpvsTools, state: string, command: string, input = ''): Promise<string> {
  return exec(command, command === 'ipvsadm-save' ? ['-n'] : [], input, {
    env: { ...process.env, LD_PRELOAD: tools.responder, IPVS_GENL_STATE: state },
  });
}

/** The addresses of a device, `ip -j addr show dev D` → `a.b.c.d/n`, sorted. */
async function addresses(ns: string, dev: string): Promise<string[]> {
  const [link] = JSON.parse(await exec('ip', ['-n', ns, '-j', 'addr', 'show', 'dev', dev])) as {
    addr_info: { family: string; local: string; prefixlen: number }[];
  }[];
  return link.addr_info
    .filter((a) => a.family === 'inet')
    .map((a) => `${a.local}/${a.prefixlen}`)
    .sort();
}

export interface IpvsNodeCheck {
  node: string;
  problems: string[];
  virtualServers: number;
  /** The `-m ipvs` rules, which need CONFIG_IP_VS to load: checked by iptables-restore --test only. */
  syntaxOnly: number;
}

/**
 * One node's IPVS view through the real tools, in a scratch namespace: the kube-ipvs0 device and
 * its addresses (`ip -batch`; the addresses must then be local), the ipsets (`ipset restore`, then
 * `ipset save` lists them back), the iptables rules (`iptables-restore`, then `iptables-save`
 * lists them back exactly), and the virtual servers (`ipvsadm-restore`, then `ipvsadm-save -n`
 * prints them back exactly, through ipvsadm's own parser and printer).
 */
export async function checkIpvsNode(
  tools: IpvsTools,
  state: ClusterState,
  nodeName: string,
  tag: string,
): Promise<IpvsNodeCheck> {
  const problems: string[] = [];
  const parts = sections(view(state, 'kube-proxy-rules', { node: nodeName }));
  const ns = `${runPrefix()}${tag}`;
  const stateFile = join(tools.dir, `${tag}.state`);
  await exec('ip', ['netns', 'add', ns]);
  try {
    // kube-ipvs0: without CONFIG_DUMMY the device is created as an ifb (a device of no traffic of
    // its own either); the address lines load unchanged.
    const batch = parts.get('ip -batch') ?? '';
    const device = tools.dummy ? batch : batch.replace(/ type dummy$/m, ' type ifb');
    await exec('ip', ['-n', ns, '-batch', '-'], device);
    const wanted = [...batch.matchAll(/^addr add (\S+) dev kube-ipvs0$/gm)].map((m) => m[1]).sort();
    const got = await addresses(ns, 'kube-ipvs0');
    if (got.join() !== wanted.join())
      problems.push(`kube-ipvs0 addresses: view ${wanted.join(' ')}, kernel ${got.join(' ')}`);
    const local = await exec('ip', [
      '-n',
      ns,
      'route',
      'show',
      'table',
      'local',
      'dev',
      'kube-ipvs0',
    ]);
    for (const cidr of wanted)
      if (!local.includes(`local ${cidr.split('/')[0]} `))
        problems.push(`${cidr} on kube-ipvs0 is not a local address of the node`);

    const sets = parts.get('ipset save') ?? '';
    await execInNs(ns, 'ipset', ['restore'], sets);
    const setsBack = normalizeIpset(await execInNs(ns, 'ipset', ['save']));
    if (setsBack !== normalizeIpset(sets))
      problems.push(`ipset save:\n${diffLines(normalizeIpset(sets), setsBack)}`);

    const tables = parts.get('iptables-save') ?? '';
    const ipvsMatch = (line: string) => / -m ipvs /.test(line);
    await execInNs(ns, 'iptables-restore', ['--test'], tables);
    const loadable = tables
      .split('\n')
      .filter((l) => !ipvsMatch(l))
      .join('\n');
    await execInNs(ns, 'iptables-restore', [], loadable);
    const tablesBack = normalizeIptablesSave(await execInNs(ns, 'iptables-save', []));
    if (tablesBack !== normalizeIptablesSave(loadable))
      problems.push(`iptables-save:\n${diffLines(normalizeIptablesSave(loadable), tablesBack)}`);

    const servers = parts.get('ipvsadm-save -n') ?? '';
    writeFileSync(stateFile, '');
    await ipvsadm(tools, stateFile, 'ipvsadm-restore', servers);
    const serversBack = await ipvsadm(tools, stateFile, 'ipvsadm-save');
    if (serversBack !== servers)
      problems.push(`ipvsadm-save -n:\n${diffLines(servers, serversBack)}`);
    return {
      node: nodeName,
      problems,
      virtualServers: servers.split('\n').filter((l) => l.startsWith('-A ')).length,
      syntaxOnly: tables.split('\n').filter(ipvsMatch).length,
    };
  } finally {
    await deleteNamespaces([ns]);
    rmSync(stateFile, { force: true });
  }
}

/**
 * Traces and the view agree: every probe the kernel lane would send that the engine's trace
 * balances onto a virtual server names that server's `-A` line and the `-a` line of the real
 * server it chose, and both are in the handling node's `ipvsadm-save -n` section.
 */
export function checkIpvsTraces(state: ClusterState): string[] {
  const problems: string[] = [];
  const cluster: KernelCluster = {
    state,
    nodes: new Map(),
    pods: new Map(),
    external: '',
    namespaces: [],
  };
  const pods = [...state.pods.values()].filter((p) => p.ip && !p.hostNetwork && p.nodeName);
  const client = pods.find((p) => p.name === 'client') ?? pods[0];
  if (!client) return problems;
  const saved = new Map<string, Set<string>>();
  for (const node of state.nodes.keys()) {
    const text = sections(view(state, 'kube-proxy-rules', { node })).get('ipvsadm-save -n') ?? '';
    saved.set(node, new Set(text.split('\n')));
  }
  const from = `${client.namespace}/${client.name}`;
  // The lane's probes, and a pod's own way to the external addresses: every NodePort on every
  // node, LoadBalancer IPs and externalIPs (IPVS has no pod short-circuit for them).
  const probes: Probe[] = probesFor(cluster, from);
  for (const service of state.services.values())
    for (const port of service.ports) {
      if (port.protocol === 'SCTP') continue;
      const base = { from, protocol: port.protocol, count: 1 };
      const name = `${from} → ${service.namespace}/${service.name}`;
      if (port.nodePort)
        for (const node of state.nodes.values())
          probes.push({
            ...base,
            name: `${name} via ${node.ip}:${port.nodePort}`,
            ip: node.ip,
            port: port.nodePort,
          });
      const vips = [
        ...service.externalIPs,
        ...service.loadBalancerIngress.flatMap((i) => (i.ip ? [i.ip] : [])),
      ];
      for (const ip of vips)
        probes.push({ ...base, name: `${name} via ${ip}:${port.port}`, ip, port: port.port });
    }
  for (const probe of probes) {
    const { trace } = engineClaim(state, probe);
    const hop = trace.hops.find((h) => h.component === 'kube-proxy' && h.details?.dnatTo);
    if (!hop?.node) continue;
    const rules = (hop.details?.rules ?? []) as string[];
    const named = rules.filter((r) => r.startsWith('-A -') || r.startsWith('-a -'));
    if (named.length !== 2)
      problems.push(`${probe.name}: the trace names no virtual server (${rules.join(' | ')})`);
    for (const rule of named)
      if (!saved.get(hop.node)?.has(rule))
        problems.push(`${probe.name}: "${rule}" is not in ${hop.node}'s view`);
  }
  return problems;
}
