import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { CLIENT_POD_YAML } from '../testing/seed-fixtures';
import type { ClusterState } from '../model/cluster-state';
import { serviceEnvVars } from './service-env';

const SERVICES_THEN_PODS = `
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: v1
kind: Service
metadata: {name: website}
spec:
  ports: [{port: 80, name: http}]
  selector: {app: website}
---
apiVersion: v1
kind: Service
metadata: {name: my-dns}
spec:
  ports: [{port: 53, name: dns-udp, protocol: UDP}, {port: 5353, protocol: TCP, name: alt}]
  selector: {app: dns}
---
apiVersion: v1
kind: Service
metadata: {name: headless}
spec:
  clusterIP: None
  ports: [{port: 80}]
  selector: {app: website}
---
apiVersion: v1
kind: Service
metadata: {name: outside}
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Service
metadata: {name: elsewhere, namespace: other}
spec:
  ports: [{port: 8080}]
  selector: {app: x}
---
${CLIENT_POD_YAML}---
apiVersion: v1
kind: Pod
metadata: {name: no-links}
spec:
  enableServiceLinks: false
  containers: [{name: client, image: busybox}]
---
apiVersion: v1
kind: Service
metadata: {name: late}
spec:
  ports: [{port: 9090}]
  selector: {app: late}
`;

function envOf(state: ClusterState, ref: string): Record<string, string> {
  const pod = state.pods.get(ref);
  if (!pod) throw new Error(`no pod ${ref}`);
  return Object.fromEntries(serviceEnvVars(state, pod).map((v) => [v.name, v.value]));
}

describe('serviceEnvVars (kubelet envvars.FromServices)', () => {
  const state = clusterFromYaml(SERVICES_THEN_PODS);
  const website = state.services.get('default/website')?.clusterIP ?? '';
  const myDns = state.services.get('default/my-dns')?.clusterIP ?? '';

  it("gives the seed's website Service variables", () => {
    expect(envOf(state, 'default/client')).toMatchObject({
      WEBSITE_SERVICE_HOST: website,
      WEBSITE_SERVICE_PORT: '80',
      WEBSITE_SERVICE_PORT_HTTP: '80',
      WEBSITE_PORT: `tcp://${website}:80`,
      WEBSITE_PORT_80_TCP: `tcp://${website}:80`,
      WEBSITE_PORT_80_TCP_PROTO: 'tcp',
      WEBSITE_PORT_80_TCP_PORT: '80',
      WEBSITE_PORT_80_TCP_ADDR: website,
    });
    expect(website).toMatch(/^10\.96\.\d+\.\d+$/);
  });

  it('upper-cases names, turns dashes into underscores and lists every port', () => {
    expect(envOf(state, 'default/client')).toMatchObject({
      MY_DNS_SERVICE_HOST: myDns,
      MY_DNS_SERVICE_PORT: '53',
      MY_DNS_SERVICE_PORT_DNS_UDP: '53',
      MY_DNS_SERVICE_PORT_ALT: '5353',
      MY_DNS_PORT: `udp://${myDns}:53`,
      MY_DNS_PORT_53_UDP_PROTO: 'udp',
      MY_DNS_PORT_5353_TCP: `tcp://${myDns}:5353`,
    });
  });

  it('always includes the kubernetes Service of the default namespace', () => {
    expect(envOf(state, 'default/client')).toMatchObject({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    });
  });

  it('skips headless, ExternalName, other-namespace Services and Services created after the pod', () => {
    const names = Object.keys(envOf(state, 'default/client'));
    for (const prefix of ['HEADLESS_', 'OUTSIDE_', 'ELSEWHERE_', 'LATE_'])
      expect(names.filter((n) => n.startsWith(prefix))).toEqual([]);
  });

  it('gives only the kubernetes variables when enableServiceLinks is false', () => {
    const names = Object.keys(envOf(state, 'default/no-links'));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.startsWith('KUBERNETES_'))).toBe(true);
  });

  it('returns the variables sorted by name', () => {
    const pod = state.pods.get('default/client');
    if (!pod) throw new Error('no client pod');
    const names = serviceEnvVars(state, pod).map((v) => v.name);
    expect(names).toEqual([...names].sort());
  });
});
