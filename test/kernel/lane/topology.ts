import { getView, type ClusterState } from '@netplay/engine';
import { deleteNamespace, runPrefix } from './namespaces';
import { inNs, run } from './shell';

/**
 * A cluster built as network namespaces from the engine's views only: one namespace per node on
 * a bridge underlay (its eth0 address from the node's `get routes`), one per pod (eth0, address and
 * routes from `get routes --pod`, the host-side veth named there), the CNI's devices, addresses,
 * neighbours and FDB from `get cni-rules`, the node's routes from `get routes --node`, and an
 * "external" namespace that owns the underlay's gateway address (the routes' `default via`) and
 * the engine's external client address. Nothing here knows a plugin: it runs what the views print.
 */
export interface KernelCluster {
  state: ClusterState;
  nodes: Map<string, string>;
  pods: Map<string, string>;
  external: string;
  namespaces: string[];
}

export function view(
  state: ClusterState,
  kind: string,
  options: { node?: string; pod?: string },
): string {
  const result = getView(state, kind, options);
  const error = result.issues.find((i) => i.severity === 'error');
  if (error) throw new Error(`get ${kind}: ${error.message}`);
  return result.text;
}

/** Splits a view into `# <loader>` sections (lines before the first section are its title). */
export function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | null = null;
  for (const line of text.split('\n')) {
    const header = /^# (iptables-save|ip -batch|bridge -batch)$/.exec(line);
    if (header) {
      current = header[1];
      out.set(current, '');
    } else if (current) out.set(current, `${out.get(current)}${line}\n`);
  }
  return out;
}

function ip(ns: string, args: string[]): void {
  run('ip', ['-n', ns, ...args]);
}

function sysctl(ns: string, key: string, value: string): void {
  inNs(ns, 'sysctl', ['-qw', `${key}=${value}`]);
}

/** Host routes and on-link routes first, so the gateways of the others are reachable. */
function applyRoutes(ns: string, routes: string[]): void {
  const ordered = [
    ...routes.filter((r) => !r.includes(' via ')),
    ...routes.filter((r) => r.includes(' via ')),
  ];
  for (const route of ordered) ip(ns, ['route', 'replace', ...route.split(' ')]);
}

export function buildCluster(state: ClusterState, tag: string): KernelCluster {
  const prefix = `${runPrefix()}${tag}`;
  const namespaces: string[] = [];
  const addNs = (name: string) => {
    const ns = `${prefix}${name}`;
    run('ip', ['netns', 'add', ns]);
    namespaces.push(ns);
    ip(ns, ['link', 'set', 'lo', 'up']);
    return ns;
  };
  const cluster: KernelCluster = {
    state,
    nodes: new Map(),
    pods: new Map(),
    external: '',
    namespaces,
  };
  try {
    const underlay = addNs('ul');
    ip(underlay, ['link', 'add', 'br0', 'type', 'bridge']);
    ip(underlay, ['link', 'set', 'br0', 'up']);
    const nodeRoutes = new Map<string, string[]>();
    let gateway = '';
    let underlayPrefix = '';
    [...state.nodes.values()].forEach((node, i) => {
      const ns = addNs(`n${i}`);
      cluster.nodes.set(node.name, ns);
      const routes = view(state, 'routes', { node: node.name }).trim().split('\n');
      nodeRoutes.set(node.name, routes);
      const own = routes
        .map((r) => /^(\S+)\/(\d+) dev eth0 proto kernel scope link src (\S+)$/.exec(r))
        .find(Boolean);
      if (!own) throw new Error(`get routes --node ${node.name}: no eth0 network route`);
      underlayPrefix = own[2];
      gateway = /^default via (\S+) dev eth0/.exec(routes[0])?.[1] ?? gateway;
      ip(underlay, ['link', 'add', `u${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      ip(underlay, ['link', 'set', `u${i}`, 'master', 'br0', 'up']);
      ip(ns, ['addr', 'add', `${own[3]}/${own[2]}`, 'dev', 'eth0']);
      ip(ns, ['link', 'set', 'eth0', 'up']);
      // A node forwards pod traffic; bridged pod traffic (flannel's cni0) passes iptables.
      sysctl(ns, 'net.ipv4.ip_forward', '1');
      sysctl(ns, 'net.bridge.bridge-nf-call-iptables', '1');
      // REJECT answers with ICMP, which the kernel rate-limits per destination (a burst of 6,
      // then one a second); the lane sends many refused attempts from one client, so every
      // REJECT must answer within the drop timeout. A harness setting, not a cluster one.
      sysctl(ns, 'net.ipv4.icmp_ratelimit', '0');
    });
    const external = addNs('ext');
    cluster.external = external;
    ip(underlay, ['link', 'add', 'ux', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', external]);
    ip(underlay, ['link', 'set', 'ux', 'master', 'br0', 'up']);
    ip(external, ['addr', 'add', `${gateway}/${underlayPrefix}`, 'dev', 'eth0']);
    ip(external, ['addr', 'add', `${state.config.externalClientIP}/32`, 'dev', 'lo']);
    ip(external, ['link', 'set', 'eth0', 'up']);

    let podIndex = 0;
    for (const pod of state.pods.values()) {
      if (!pod.ip || pod.hostNetwork || !pod.nodeName) continue;
      const nodeNs = cluster.nodes.get(pod.nodeName);
      if (!nodeNs) continue;
      const ns = addNs(`p${podIndex++}`);
      const ref = `${pod.namespace}/${pod.name}`;
      cluster.pods.set(ref, ns);
      const [, iface, ...routes] = view(state, 'routes', { pod: ref }).trim().split('\n');
      const m = /^eth0@(\S+) UP (\S+)(?: mtu (\d+))?$/.exec(iface);
      if (!m) throw new Error(`get routes --pod ${ref}: unexpected interface line "${iface}"`);
      ip(nodeNs, ['link', 'add', m[1], 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      ip(ns, ['addr', 'add', m[2], 'dev', 'eth0']);
      if (m[3]) ip(ns, ['link', 'set', 'eth0', 'mtu', m[3]]);
      ip(ns, ['link', 'set', 'eth0', 'up']);
      applyRoutes(ns, routes);
    }
    for (const node of state.nodes.values()) {
      const ns = cluster.nodes.get(node.name) as string;
      const cni = sections(view(state, 'cni-rules', { node: node.name }));
      const links = cni.get('ip -batch');
      if (links) run('ip', ['-n', ns, '-batch', '-'], links);
      const fdb = cni.get('bridge -batch');
      if (fdb) inNs(ns, 'bridge', ['-batch', '-'], fdb);
      applyRoutes(ns, nodeRoutes.get(node.name) ?? []);
    }
    return cluster;
  } catch (err) {
    destroyCluster(cluster);
    throw err;
  }
}

/** Removes every namespace (and with them their links and the processes still inside). */
export function destroyCluster(cluster: KernelCluster): void {
  for (const ns of [...cluster.namespaces].reverse()) {
    try {
      deleteNamespace(ns);
    } catch {
      // keep tearing down the rest
    }
  }
  cluster.namespaces.length = 0;
}
