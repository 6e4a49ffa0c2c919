/**
 * The cluster of Kubernetes' NetworkPolicy e2e suite (test/e2e/network/netpol/model.go):
 * namespaces x, y, z labelled `ns=<name>`; pods a, b, c in each labelled `pod=<name>`, one container
 * per port × protocol serving on a port named `serve-<port>-<proto>`; one Service `s-<ns>-<pod>`
 * per pod. Probes go from every pod to every pod's Service ClusterIP (probe.go), so policies see
 * the destination after DNAT and no DNS is involved.
 */
import type { ClusterState } from '../../libs/engine/src/model/cluster-state';
import type { Protocol } from '../../libs/engine/src/model/resources';
import { clusterFromYaml } from '../../libs/engine/src/testing/cluster-from-yaml';
import { traceProbe } from '../../libs/engine/src/probe/probe';

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;
export const PEERS: string[] = NAMESPACES.flatMap((ns) => PODS.map((pod) => `${ns}/${pod}`));
const PORTS = [80, 81];
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface FixtureOptions {
  /** Extra labels per namespace (`y` → `{ns2: updated}`), as after an e2e "update namespace labels" step. */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** Extra labels per pod (`x/b` → `{pod2: updated}`). */
  podLabels?: Record<string, Record<string, string>>;
  /** CNI plugin of the cluster (default kindnet, which enforces NetworkPolicy). */
  cni?: string;
}

function labelsYaml(labels: Record<string, string>): string {
  return `{ ${Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }`;
}

export function fixtureYaml(options: FixtureOptions = {}): string {
  const docs: string[] = [
    `apiVersion: netplay.dev/v1alpha1\nkind: Cluster\nspec:\n  cni: ${options.cni ?? 'kindnet'}`,
  ];
  for (const ns of NAMESPACES) {
    docs.push(
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: ${labelsYaml({ ns, ...(options.namespaceLabels?.[ns] ?? {}) })}`,
    );
    for (const pod of PODS) {
      const containers = PORTS.flatMap((port) =>
        PROTOCOLS.map(
          (proto) =>
            `  - name: cont-${port}-${proto.toLowerCase()}\n    image: registry.k8s.io/e2e-test-images/agnhost:2.47\n    ports: [{ containerPort: ${port}, protocol: ${proto}, name: serve-${port}-${proto.toLowerCase()} }]`,
        ),
      );
      docs.push(
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${pod}\n  namespace: ${ns}\n  labels: ${labelsYaml({ pod, ...(options.podLabels?.[`${ns}/${pod}`] ?? {}) })}\nspec:\n  containers:\n${containers.join('\n')}`,
      );
      const ports = PORTS.flatMap((port) =>
        PROTOCOLS.map(
          (proto) =>
            `  - { name: service-port-${proto.toLowerCase()}-${port}, port: ${port}, protocol: ${proto} }`,
        ),
      );
      docs.push(
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: s-${ns}-${pod}\n  namespace: ${ns}\nspec:\n  selector: { pod: ${pod} }\n  ports:\n${ports.join('\n')}`,
      );
    }
  }
  return docs.join('\n---\n');
}

/** Pod IPs of the fixture (they do not depend on the policies, so ipBlock cases can name them). */
export function podIPs(options: FixtureOptions = {}): Record<string, string> {
  const state = clusterFromYaml(fixtureYaml(options));
  return Object.fromEntries(PEERS.map((ref) => [ref, state.pods.get(ref)?.ip ?? '']));
}

export function buildCluster(policies: string, options: FixtureOptions = {}): ClusterState {
  return policies.trim()
    ? clusterFromYaml(fixtureYaml(options), policies)
    : clusterFromYaml(fixtureYaml(options));
}

/** `from → to` reachability of every ordered pair (self pairs included; the e2e suite ignores them). */
export function probeMatrix(
  state: ClusterState,
  port: number,
  protocol: Protocol,
): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const from of PEERS) {
    for (const to of PEERS) {
      const [ns, pod] = to.split('/');
      const ip = state.services.get(`${ns}/s-${ns}-${pod}`)?.clusterIP;
      const trace = traceProbe(state, { from, to: `${ip}:${port}`, protocol });
      out.set(`${from}>${to}`, trace.verdict === 'delivered');
    }
  }
  return out;
}

/** An `ExpectPeer` call: pairs matching `from`/`to` (`*`, `x/*`, `x/a`, or any-namespace pod `*` + `/a`) get `allowed`. Applied in order over an all-true matrix. */
export type Expectation = [from: string, to: string, allowed: boolean];

function matches(pattern: string, ref: string): boolean {
  if (pattern === '*') return true;
  const [pns, ppod] = pattern.split('/');
  const [ns, pod] = ref.split('/');
  return (pns === '*' || pns === ns) && (ppod === '*' || ppod === pod);
}

export function expectedMatrix(expectations: Expectation[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const from of PEERS) for (const to of PEERS) out.set(`${from}>${to}`, true);
  for (const [fromPattern, toPattern, allowed] of expectations) {
    for (const from of PEERS)
      for (const to of PEERS)
        if (matches(fromPattern, from) && matches(toPattern, to)) out.set(`${from}>${to}`, allowed);
  }
  return out;
}

/** The pairs where two matrices differ, self pairs ignored (e2e `ignoreLoopback`). */
export function differences(
  actual: Map<string, boolean>,
  expected: Map<string, boolean>,
): string[] {
  const out: string[] = [];
  for (const [pair, want] of expected) {
    const [from, to] = pair.split('>');
    if (from === to) continue;
    if (actual.get(pair) !== want)
      out.push(
        `${from} → ${to}: expected ${want ? 'allowed' : 'blocked'}, got ${actual.get(pair) ? 'allowed' : 'blocked'}`,
      );
  }
  return out;
}
