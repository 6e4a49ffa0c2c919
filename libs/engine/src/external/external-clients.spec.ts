import { applyMutation } from '../cluster/mutations';
import type { ClusterState } from '../model/cluster-state';
import type { ProbeTrace } from '../trace/trace-types';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { traceProbe } from '../probe/probe';
import {
  clusterWith,
  lbServiceYaml,
  METALLB_L2,
  METALLB_POOL,
  pinnedWebPods,
  WEB_YAML,
} from './spec-fixtures';

/** The seeds' example (002): a Deployment behind `type: NodePort` with `nodePort: 30080`. */
const SEED_NODEPORT = `${WEB_YAML}
---
apiVersion: v1
kind: Service
metadata: { name: web-np }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80, nodePort: 30080 }]`;

function nodeIP(state: ClusterState, name: string): string {
  return state.nodes.get(name)!.ip;
}

/** The packet as the backend pod receives it. */
function arrivingPacket(trace: ProbeTrace) {
  return trace.hops.filter((h) => h.direction === 'request' && h.component === 'pod-netns').at(-1)
    ?.packet;
}

describe('external clients reach NodePorts on every node', () => {
  it.each(['control-plane', 'worker', 'worker2'])(
    "the seeds' NodePort 30080 answers at %s's address, masqueraded to that node",
    (node) => {
      const state = clusterFromYaml(SEED_NODEPORT);
      const trace = traceProbe(state, {
        from: 'external',
        to: `http://${nodeIP(state, node)}:30080/`,
      });
      expect(trace.verdict).toBe('delivered');
      expect(trace.backend?.service).toBe('web-np');
      // eTP Cluster: kube-proxy SNATs to the receiving node; the pod never sees 203.0.113.10.
      expect(arrivingPacket(trace)?.src.ip).not.toBe('203.0.113.10');
      expect(trace.hops.some((h) => h.component === 'snat' && h.node === node)).toBe(true);
    },
  );

  const LOCAL = `${pinnedWebPods('worker')}
---
apiVersion: v1
kind: Service
metadata: { name: web-local }
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30090 }]`;

  it('eTP Local keeps the client address on the node with a local endpoint', () => {
    const state = clusterFromYaml(LOCAL);
    const trace = traceProbe(state, { from: 'external', to: `${nodeIP(state, 'worker')}:30090` });
    expect(trace.verdict).toBe('delivered');
    expect(arrivingPacket(trace)?.src.ip).toBe('203.0.113.10');
  });

  it('eTP Local drops at a node without a local endpoint', () => {
    const state = clusterFromYaml(LOCAL);
    const trace = traceProbe(state, { from: 'external', to: `${nodeIP(state, 'worker2')}:30090` });
    expect([trace.verdict, trace.dropReason]).toEqual(['dropped', 'NO_LOCAL_ENDPOINTS']);
  });

  it.each([
    ['worker', 200, 'delivered'],
    ['worker2', 503, 'delivered'],
  ])(
    "kube-proxy's health server on %s answers healthCheckNodePort with HTTP %i",
    (node, status) => {
      const state = clusterFromYaml(LOCAL);
      const port = state.services.get('default/web-local')!.healthCheckNodePort;
      expect(port).toBeDefined();
      const trace = traceProbe(state, {
        from: 'external',
        to: `http://${nodeIP(state, node)}:${port}/healthz`,
      });
      expect(trace.verdict).toBe('delivered');
      const check = trace.hops.find((h) => h.details?.healthCheck);
      expect(check?.details?.httpStatus).toBe(status);
      expect(trace.reason).toContain(String(status));
    },
  );

  it('loadBalancerSourceRanges drops an external client outside the ranges at the LoadBalancer address', () => {
    const yaml = [
      WEB_YAML,
      METALLB_POOL,
      METALLB_L2,
      lbServiceYaml('web', '  loadBalancerSourceRanges: ["198.51.100.0/24"]'),
    ];
    const state = clusterFromYaml(...yaml);
    const ip = state.services.get('default/web')!.loadBalancerIngress[0].ip!;
    expect(traceProbe(state, { from: 'external', to: `http://${ip}/` }).dropReason).toBe(
      'DENIED_BY_LB_SRC_RANGE_CHECK',
    );
    expect(traceProbe(state, { from: 'external:198.51.100.7', to: `http://${ip}/` }).verdict).toBe(
      'delivered',
    );
  });

  it('an address no implementation announces is unreachable from outside', () => {
    const state = clusterFromYaml(
      WEB_YAML,
      lbServiceYaml('web'),
      clusterWith(
        '  nodes: [{name: cp, ip: 172.18.0.2, role: control-plane}, {name: w1, ip: 172.18.0.3}]',
      ),
    );
    expect(state.services.get('default/web')!.loadBalancerIngress).toEqual([]);
    const trace = traceProbe(state, { from: 'external', to: 'http://172.18.255.200/' });
    expect([trace.verdict, trace.dropReason]).toEqual(['dropped', 'NO_ROUTE']);
  });
});

describe('hostPort (portmap CNI plugin)', () => {
  const HOSTPORT = `apiVersion: v1
kind: Pod
metadata: { name: hp, labels: { app: hp } }
spec:
  nodeName: worker
  containers: [{ name: web, image: nginx, ports: [{ containerPort: 80, hostPort: 8080 }] }]`;

  it("DNATs the hostPort on the pod's node to the pod", () => {
    const state = clusterFromYaml(HOSTPORT);
    const trace = traceProbe(state, {
      from: 'external',
      to: `http://${nodeIP(state, 'worker')}:8080/`,
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.backend).toMatchObject({ pod: 'hp', port: 80 });
    const dnat = trace.hops.find((h) => h.details?.plugin === 'portmap');
    expect(dnat?.details?.dnatTo).toBe(`${state.pods.get('default/hp')!.ip}:80`);
  });

  it("works from a pod on another node: the packet travels to the pod's node first", () => {
    const state = clusterFromYaml(HOSTPORT, pinnedWebPods('worker2'));
    const trace = traceProbe(state, {
      from: 'web-0',
      to: `http://${nodeIP(state, 'worker')}:8080/`,
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.hops.find((h) => h.details?.plugin === 'portmap')?.node).toBe('worker');
    expect(trace.hops.at(-1)?.direction).toBe('reply');
  });

  it('is not open on other nodes', () => {
    const state = clusterFromYaml(HOSTPORT);
    const trace = traceProbe(state, {
      from: 'external',
      to: `http://${nodeIP(state, 'worker2')}:8080/`,
    });
    expect(trace.verdict).toBe('refused');
  });
});

describe('MetalLB failover', () => {
  it('re-elects the announcer when its node fails', () => {
    const state = clusterFromYaml(WEB_YAML, METALLB_POOL, METALLB_L2, lbServiceYaml('web'));
    const ip = state.services.get('default/web')!.loadBalancerIngress[0].ip!;
    const before = traceProbe(state, { from: 'external', to: `http://${ip}/` });
    const announcer = before.hops.find((h) => h.details?.mode === 'L2')?.details
      ?.announcer as string;
    expect(['worker', 'worker2']).toContain(announcer);
    applyMutation(state, { action: 'fail-node', node: announcer });
    const after = traceProbe(state, { from: 'external', to: `http://${ip}/` });
    const next = after.hops.find((h) => h.details?.mode === 'L2')?.details?.announcer;
    expect(next).toBeDefined();
    expect(next).not.toBe(announcer);
    expect(after.verdict).toBe('delivered');
  });
});
