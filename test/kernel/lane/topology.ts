import { getView, type ClusterState } from '@netplay/engine';
import { deleteNamespaces, runPrefix } from './namespaces';
import { exec, execInNs } from './shell';

/**
 * A cluster built as network namespaces from the engine's views only: one namespace per node on
 * a bridge underlay (its eth0 address from the node's `get routes`), one per pod (eth0, address and
 * routes from `get routes --pod`, the host-side veth named there), the CNI's devices, addresses,
 * neighbours and FDB from `get cni-rules`, the node's routes from `get routes --node`, and an
 * "external" namespace that owns the underlay's gateway address (the routes' `default via`) and
 * the engine's external client address. Nothing here knows a plugin: it runs what the views print.
 *
 * Each namespace is configured by one `ip -batch` (a few processes per cluster rather than one
 * per address or route), namespaces of one kind side by side.
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

/** Splits a view into `# <form>` sections (lines before the first section are its title). */
export function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | null = null;
  for (const line of text.split('\n')) {
    const header =
      /^# (iptables-save|ip -batch|bridge -batch|ipvsadm-save -n|ipset save|sysctl)$/.exec(line);
    if (header) {
      current = header[1];
      out.set(current, '');
    } else if (current) out.set(current, `${out.get(current)}${line}\n`);
  }
  return out;
}

/** Host routes and on-link routes first, so the gateways of the others are reachable. */
function routeLines(routes: string[]): string[] {
  return [
    ...routes.filter((r) => !r.includes(' via ')),
    ...routes.filter((r) => r.includes(' via ')),
  ].map((r) => `route replace ${r}`);
}

/** One `ip -n NS -batch -` with these lines. */
function batch(ns: string, lines: string[]): Promise<string> {
  return exec('ip', ['-n', ns, '-batch', '-'], `${lines.join('\n')}\n`);
}

interface PodPlan {
  ref: string;
  ns: string;
  nodeNs: string;
  hostVeth: string;
  address: string;
  mtu?: string;
  routes: string[];
}

export async function buildCluster(state: ClusterState, tag: string): Promise<KernelCluster> {
  const prefix = `${runPrefix()}${tag}`;
  const cluster: KernelCluster = {
    state,
    nodes: new Map(),
    pods: new Map(),
    external: `${prefix}ext`,
    namespaces: [],
  };
  const underlay = `${prefix}ul`;
  const nodes = [...state.nodes.values()];
  nodes.forEach((node, i) => cluster.nodes.set(node.name, `${prefix}n${i}`));
  const pods: PodPlan[] = [];
  for (const pod of state.pods.values()) {
    if (!pod.ip || pod.hostNetwork || !pod.nodeName) continue;
    const nodeNs = cluster.nodes.get(pod.nodeName);
    if (!nodeNs) continue;
    const ref = `${pod.namespace}/${pod.name}`;
    const [, iface, ...routes] = view(state, 'routes', { pod: ref }).trim().split('\n');
    const m = /^eth0@(\S+) UP (\S+)(?: mtu (\d+))?$/.exec(iface);
    if (!m) throw new Error(`get routes --pod ${ref}: unexpected interface line "${iface}"`);
    const ns = `${prefix}p${pods.length}`;
    cluster.pods.set(ref, ns);
    pods.push({ ref, ns, nodeNs, hostVeth: m[1], address: m[2], mtu: m[3], routes });
  }
  cluster.namespaces.push(underlay, ...cluster.nodes.values(), cluster.external);
  cluster.namespaces.push(...pods.map((p) => p.ns));

  try {
    await exec('ip', ['-batch', '-'], cluster.namespaces.map((ns) => `netns add ${ns}\n`).join(''));
    let gateway = '';
    let underlayPrefix = '';
    const nodeRoutes = new Map<string, string[]>();
    const nodeOwn = new Map<string, string>();
    for (const node of nodes) {
      const routes = view(state, 'routes', { node: node.name }).trim().split('\n');
      const own = routes
        .map((r) => /^(\S+)\/(\d+) dev eth0 proto kernel scope link src (\S+)$/.exec(r))
        .find(Boolean);
      if (!own) throw new Error(`get routes --node ${node.name}: no eth0 network route`);
      underlayPrefix = own[2];
      gateway = /^default via (\S+) dev eth0/.exec(routes[0])?.[1] ?? gateway;
      nodeRoutes.set(node.name, routes);
      nodeOwn.set(node.name, `${own[3]}/${own[2]}`);
    }
    await batch(underlay, [
      'link set lo up',
      'link add br0 type bridge',
      'link set br0 up',
      ...nodes.flatMap((node, i) => [
        `link add u${i} type veth peer name eth0 netns ${cluster.nodes.get(node.name)}`,
        `link set u${i} master br0 up`,
      ]),
      `link add ux type veth peer name eth0 netns ${cluster.external}`,
      'link set ux master br0 up',
    ]);
    const external = batch(cluster.external, [
      'link set lo up',
      `addr add ${gateway}/${underlayPrefix} dev eth0`,
      `addr add ${state.config.externalClientIP}/32 dev lo`,
      'link set eth0 up',
    ]);
    await Promise.all([
      external,
      ...nodes.map(async (node) => {
        const ns = cluster.nodes.get(node.name) as string;
        const cni = sections(view(state, 'cni-rules', { node: node.name }));
        await batch(ns, [
          'link set lo up',
          `addr add ${nodeOwn.get(node.name)} dev eth0`,
          'link set eth0 up',
          ...pods
            .filter((p) => p.nodeNs === ns)
            .map((p) => `link add ${p.hostVeth} type veth peer name eth0 netns ${p.ns}`),
          ...(cni.get('ip -batch') ?? '').split('\n').filter(Boolean),
          ...routeLines(nodeRoutes.get(node.name) ?? []),
        ]);
        const fdb = cni.get('bridge -batch');
        if (fdb) await execInNs(ns, 'bridge', ['-batch', '-'], fdb);
        const sysctls = cni.get('sysctl');
        // `sysctl -p` lines, set with -w (the lines as its arguments: stdin here is a socket).
        if (sysctls)
          await execInNs(ns, 'sysctl', [
            '-qw',
            ...sysctls
              .split('\n')
              .filter(Boolean)
              .map((l) => l.replace(/\s*=\s*/, '=')),
          ]);
        // A node forwards pod traffic; bridged pod traffic (flannel's cni0) passes iptables.
        // REJECT answers with ICMP, which the kernel rate-limits per destination (a burst of 6,
        // then one a second); the lane sends many refused attempts from one client, so every
        // REJECT must answer within the drop timeout. Harness settings, not cluster ones.
        await execInNs(ns, 'sysctl', [
          '-qw',
          'net.ipv4.ip_forward=1',
          'net.bridge.bridge-nf-call-iptables=1',
          'net.ipv4.icmp_ratelimit=0',
        ]);
      }),
    ]);
    await Promise.all(
      pods.map((p) =>
        batch(p.ns, [
          'link set lo up',
          `addr add ${p.address} dev eth0`,
          ...(p.mtu ? [`link set eth0 mtu ${p.mtu}`] : []),
          'link set eth0 up',
          ...routeLines(p.routes),
        ]),
      ),
    );
    return cluster;
  } catch (err) {
    await destroyCluster(cluster);
    throw err;
  }
}

/** Removes every namespace (and with them their links; the processes still inside are killed first). */
export async function destroyCluster(cluster: KernelCluster): Promise<void> {
  await deleteNamespaces(cluster.namespaces);
  cluster.namespaces.length = 0;
}
