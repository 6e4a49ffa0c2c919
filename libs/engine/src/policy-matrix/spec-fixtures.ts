/** The e2e netpol model (namespaces x, y, z; pods a, b, c in each) as YAML, for the matrix specs. */
export const E2E_NAMESPACES = ['x', 'y', 'z'];
export const E2E_PODS = ['a', 'b', 'c'];

export function e2eModelYaml(namespaces = E2E_NAMESPACES, pods = E2E_PODS): string {
  const docs: string[] = [];
  for (const ns of namespaces) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns}, labels: { ns: ${ns} } }`);
    for (const pod of pods) {
      docs.push(`apiVersion: v1
kind: Pod
metadata: { name: ${pod}, namespace: ${ns}, labels: { pod: ${pod} } }
spec:
  containers:
    - name: cont-80-tcp
      image: agnhost
      ports: [{ name: serve-80-tcp, containerPort: 80 }, { name: serve-81-tcp, containerPort: 81 }, { name: serve-80-udp, containerPort: 80, protocol: UDP }]`);
    }
  }
  return docs.join('\n---\n');
}
