import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { applyMutation } from '../cluster/mutations';
import { traceProbe } from './probe';
import { pinnedWebPods } from '../external/spec-fixtures';

const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all }
spec: { podSelector: {}, policyTypes: [Ingress] }`;

describe('kubectl port-forward as a probe source', () => {
  it("goes kubectl → API server → kubelet → the pod's localhost", () => {
    const state = clusterFromYaml(pinnedWebPods('worker'));
    const trace = traceProbe(state, { from: 'port-forward:default/web-0', to: 'localhost:80' });
    expect(trace.verdict).toBe('delivered');
    expect(trace.backend).toMatchObject({ pod: 'web-0', port: 80 });
    expect(trace.hops.filter((h) => h.direction === 'request').map((h) => h.details?.step)).toEqual(
      ['kubectl', 'api-server', 'kubelet', 'pod-netns'],
    );
    expect(trace.hops.find((h) => h.details?.step === 'kubelet')?.node).toBe('worker');
  });

  it('bypasses Services, kube-proxy and NetworkPolicy', () => {
    const state = clusterFromYaml(pinnedWebPods('worker'), DENY_ALL);
    const trace = traceProbe(state, { from: 'port-forward:web-0', to: 'localhost:80' });
    expect(trace.verdict).toBe('delivered');
    expect(
      trace.hops.some((h) => h.component === 'kube-proxy' || h.component === 'network-policy'),
    ).toBe(false);
  });

  it('a port nothing listens on is refused inside the pod', () => {
    const state = clusterFromYaml(pinnedWebPods('worker'));
    expect(traceProbe(state, { from: 'port-forward:web-0', to: 'localhost:9999' }).verdict).toBe(
      'refused',
    );
  });

  it("fails when the kubelet of the pod's node is down", () => {
    const state = clusterFromYaml(pinnedWebPods('worker'));
    applyMutation(state, { action: 'fail-node', node: 'worker' });
    expect(traceProbe(state, { from: 'port-forward:web-0', to: 'localhost:80' }).dropReason).toBe(
      'NODE_NOT_READY',
    );
  });
});
