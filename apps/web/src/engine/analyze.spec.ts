import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { analyze, groupLabel, matrixGrid, revisionPolicyDiff } from './analyze';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;
const PROBE = { from: 'default/client', to: 'http://website.default/' };

describe('the analysis the page runs after every edit', () => {
  it("draws the seeds' website example: 3 nodes, the client and 3 website pods, the Service and its endpoints", () => {
    const { picture, issues } = analyze({ manifests: WEBSITE });
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(picture!.nodes.map((n) => n.name)).toEqual(['control-plane', 'worker', 'worker2']);
    const pods = picture!.nodes.flatMap((n) => n.pods).filter((p) => p.namespace === 'default');
    expect(pods.map((p) => p.name).filter((n) => n.startsWith('website-'))).toHaveLength(3);
    const website = picture!.services.find((s) => s.id === 'svc:default/website')!;
    expect(website.type).toBe('ClusterIP');
    expect(website.endpoints).toHaveLength(3);
    expect(website.endpoints.every((e) => pods.some((p) => p.id === e.pod))).toBe(true);
  });

  it('traces the probe and places every hop on the picture, ending at the client for the reply', () => {
    const result = analyze({ manifests: WEBSITE, probe: PROBE });
    expect(result.trace!.verdict).toBe('delivered');
    expect(result.locations).toHaveLength(result.trace!.hops.length);
    expect(result.locations[0]).toBe('pod:default/client');
    expect(result.locations).toContain('svc:default/website');
    expect(result.locations).toContain('svc:kube-system/kube-dns');
    const backend = result.trace!.backend!;
    expect(result.locations).toContain(`pod:${backend.namespace}/${backend.pod}`);
    expect(result.locations[result.locations.length - 1]).toBe('pod:default/client');
  });

  it('draws an ingress with its controller, the MetalLB address and the node announcing it', () => {
    const scenario = parse(
      readFileSync(
        path.join(__dirname, '../../../../test/scenarios/metallb-ingress-nginx.yaml'),
        'utf8',
      ),
    ) as { spec: { manifests: string[] } };
    const { picture } = analyze({ manifests: scenario.spec.manifests.join('\n---\n') });
    const controller = picture!.services.find((s) => s.type === 'LoadBalancer')!;
    expect(controller.loadBalancer).toHaveLength(1);
    const [lb] = controller.loadBalancer;
    expect(lb.mode).toBe('L2');
    expect(lb.announcedBy).toHaveLength(1);
    const ingress = picture!.entries.find((e) => e.kind === 'Ingress')!;
    expect(ingress.controller).toBe('k8s.io/ingress-nginx');
    expect(ingress.addresses).toEqual([lb.ip]);
    expect(ingress.announcedBy).toEqual(lb.announcedBy);
    expect(ingress.backends.length).toBeGreaterThan(0);
  });

  it('gives the same trace for the same text and probe (each analysis loads afresh)', () => {
    const a = analyze({ manifests: WEBSITE, probe: PROBE });
    const b = analyze({ manifests: WEBSITE, probe: PROBE });
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
  });

  it('marks isolated pods and suggests a fix for a policy drop', () => {
    const result = analyze({ manifests: `${WEBSITE}\n---\n${DENY}`, probe: PROBE });
    expect(result.trace!.verdict).toBe('dropped');
    expect(result.trace!.dropReason).toBe('POLICY_DENIED');
    expect(result.suggestion?.yaml).toContain('kind: NetworkPolicy');
    const client = result.picture!.nodes.flatMap((n) => n.pods).find((p) => p.name === 'client')!;
    expect(client.isolation).toEqual({
      ingress: true,
      egress: false,
      policies: ['default/deny-all'],
    });
  });

  it('reports an invalid field at its line and builds no cluster', () => {
    const broken = WEBSITE.replace('replicas: 3', 'replicas: -1');
    const result = analyze({ manifests: broken, probe: PROBE });
    expect(result.picture).toBeNull();
    const error = result.issues.find((i) => i.severity === 'error')!;
    expect(error.path).toBe('spec.replicas');
    expect(broken.split('\n')[error.line - 1]).toContain('replicas: -1');
  });

  it('shifts document numbers past the cluster settings document', () => {
    const broken = WEBSITE.replace('replicas: 3', 'replicas: -1');
    const result = analyze({ manifests: broken, clusterSettings: { cni: 'calico' } });
    const error = result.issues.find((i) => i.severity === 'error')!;
    expect(broken.split('\n')[error.line - 1]).toContain('replicas: -1');
  });

  it('computes the policy matrix grouped, and what a revision change closes', () => {
    const open = matrixGrid({ manifests: WEBSITE }, 80)!;
    // Nothing is isolated: every pod reaches every pod, so they are all interchangeable.
    expect(open.groups).toHaveLength(1);
    expect(open.groups[0].members).toHaveLength(4);
    expect(open.allowed).toEqual([[true]]);
    const closed = matrixGrid({ manifests: `${WEBSITE}\n---\n${DENY}` }, 80)!;
    const client = closed.groups.findIndex((g) => g.members.includes('default/client'));
    const web = closed.groups.findIndex((g) =>
      g.members.some((m) => m.startsWith('default/website-')),
    );
    expect(closed.allowed[client][web]).toBe(false);
    const diff = revisionPolicyDiff(
      { manifests: WEBSITE },
      { manifests: `${WEBSITE}\n---\n${DENY}` },
      80,
    )!;
    expect(diff.opened).toEqual([]);
    // Every pod (4 in default, 2 CoreDNS) loses each default pod but itself: 6 × 4 − 4.
    expect(diff.closed.length).toBe(20);
  });

  it('labels a group by the name its pods share', () => {
    expect(groupLabel(['default/client'])).toBe('default/client');
    expect(groupLabel(['default/website-5d7-a', 'default/website-5d7-b'])).toBe(
      'default/website-5d7-… (2 pods)',
    );
    expect(groupLabel(['default/client', 'default/web'])).toBe('default/* (2 pods)');
    expect(groupLabel(['a/x', 'b/y'])).toBe('pods of several namespaces (2 pods)');
  });
});
