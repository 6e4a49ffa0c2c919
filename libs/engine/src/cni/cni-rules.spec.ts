import { traceProbe } from '../probe/probe';
import { getView } from '../views/get-view';
import { clusterFromYaml } from '../testing/cluster-from-yaml';

const CLIENT = `apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: worker, containers: [{name: c, image: busybox}]}
`;

function cluster(cni: string) {
  return clusterFromYaml(`apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: {name: c}
spec: {cni: ${cni}}
---
${CLIENT}`);
}

describe('get cni-rules: the rule a trace masquerades with is the one the view prints', () => {
  it.each(['kindnet', 'flannel'])('%s', (cni) => {
    const state = cluster(cni);
    const trace = traceProbe(state, { from: 'default/client', to: '93.184.215.14:80' });
    const snat = trace.hops.find((h) => h.component === 'snat');
    const rule = String(snat?.details?.rule ?? '');
    expect(rule).toMatch(/^-A (KIND-MASQ-AGENT|FLANNEL-POSTRTG) /);
    const view = getView(state, 'cni-rules', { node: snat?.node ?? '' }).text;
    expect(view.split('\n')).toContain(rule);
  });
});

describe('get cni-rules: sections a node loads', () => {
  it('flannel: cni0, flannel.1 with a permanent neighbour and an FDB entry per peer node', () => {
    const state = cluster('flannel');
    const text = getView(state, 'cni-rules', { node: 'worker' }).text;
    expect(text).toMatch(
      /^link add flannel\.1 address (\S+) type vxlan id 1 local 172\.18\.0\.3 dev eth0 dstport 8472 nolearning$/m,
    );
    const peerMac = /neigh add 10\.244\.2\.0 lladdr (\S+) dev flannel\.1 nud permanent/.exec(
      text,
    )?.[1];
    expect(peerMac).toBeDefined();
    expect(text).toContain(`fdb append ${peerMac} dev flannel.1 dst 172.18.0.4`);
    expect(text).toContain('# bridge -batch');
  });

  it('kindnet: the ptp gateway address on the host side of each local pod veth', () => {
    const state = cluster('kindnet');
    const text = getView(state, 'cni-rules', { node: 'worker' }).text;
    expect(text).toMatch(/^addr add 10\.244\.1\.1\/32 dev veth[0-9a-f]{8}$/m);
  });
});

describe('get routes --pod', () => {
  it('prints eth0 with its host-side peer and the ptp routes through the gateway', () => {
    const state = cluster('kindnet');
    const lines = getView(state, 'routes', { pod: 'default/client' }).text.trim().split('\n');
    expect(lines[1]).toMatch(/^eth0@veth[0-9a-f]{8} UP 10\.244\.1\.\d+\/24$/);
    expect(lines[2]).toBe('default via 10.244.1.1 dev eth0');
  });

  it('names the field when neither a pod nor a node is given', () => {
    const issues = getView(cluster('kindnet'), 'routes', {}).issues;
    expect(issues[0].code).toBe('MISSING_FIELD');
  });
});
