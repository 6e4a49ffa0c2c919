import type { ParsedDoc } from './manifest-set';
import { readManifests } from './read-manifests';
import { readYaml } from './read-yaml-for-tests';

/** The benchmark's shape: 1,000 Services and 5,000 Pods, as already-parsed documents. */
function benchmarkDocs(): ParsedDoc[] {
  const docs: ParsedDoc[] = [];
  for (let i = 0; i < 1000; i++)
    docs.push({
      doc: docs.length + 1,
      value: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${i}`, namespace: `ns-${i % 10}` },
        spec: { selector: { app: `app-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
    });
  for (let i = 0; i < 5000; i++)
    docs.push({
      doc: docs.length + 1,
      value: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pod-${i}`, namespace: `ns-${(i % 1000) % 10}`, labels: { app: `app-${i % 1000}` } },
        spec: { containers: [{ name: 'main', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    });
  return docs;
}

describe('readManifests performance and determinism', () => {
  it('reads 5,000 pods and 1,000 services well under a second', () => {
    const docs = benchmarkDocs();
    const started = performance.now();
    const set = readManifests(docs);
    expect(performance.now() - started).toBeLessThan(500);
    expect(set.issues).toEqual([]);
    expect([set.pods.length, set.services.length]).toEqual([5000, 1000]);
  });

  it('gives byte-identical output for the same input', () => {
    const yaml = `apiVersion: netplay.dev/v1alpha1
kind: Cluster
spec: {cni: cilium, upstreamDNS: {merge: true, records: [{name: a.example, data: 192.0.2.1}]}}
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy}
subsets: [{addresses: [{ip: 192.0.2.1}], ports: [{port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: NodePort, ports: [{port: 80, badField: 1}], selector: {app: web}}
`;
    expect(JSON.stringify(readYaml(yaml))).toBe(JSON.stringify(readYaml(yaml)));
  });
});
