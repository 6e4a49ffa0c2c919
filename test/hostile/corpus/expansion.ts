// Manifests and run steps that are small to send but huge to build: the engine would create what
// they ask for (pods, endpoints, DaemonSet pods on every node). Its creation limits refuse them up
// front, before any allocation, with 422 `engine-limit-exceeded` and the engine's `LIMIT_EXCEEDED`
// issue naming the field and the limit.
import { sandboxWrite, type HostileCase } from './hostile-case';

function deployment(replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx}]
`;
}

/** `nodes` nodes in the Cluster document and `daemonSets` DaemonSets: a pod for every pair. */
function daemonSetsOnNodes(nodes: number, daemonSets: number): string {
  const names = Array.from(
    { length: nodes },
    (_, node) =>
      `    - {name: node-${node}, role: worker, ip: 172.18.${1 + Math.floor(node / 250)}.${2 + (node % 250)}}`,
  ).join('\n');
  // A /12 of pod addresses: a /24 for each of the 500 nodes, clear of the Service range.
  let yaml = `apiVersion: netplay.dev/v1alpha1\nkind: Cluster\nspec:\n  podCIDR: 10.128.0.0/12\n  nodes:\n${names}\n`;
  for (let set = 0; set < daemonSets; set += 1)
    yaml += `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds-${set}}
spec:
  selector: {matchLabels: {ds: "${set}"}}
  template:
    metadata: {labels: {ds: "${set}"}}
    spec: {containers: [{name: c, image: pause}]}
`;
  return yaml;
}

export const EXPANSION_CASES: HostileCase[] = [
  {
    family: 'expansion',
    name: 'a Deployment of 1,000,000,000 replicas',
    request: () => sandboxWrite('replicas-1e9', deployment(1_000_000_000)),
    expect: { status: 422, code: 'engine-limit-exceeded', issueCode: 'LIMIT_EXCEEDED' },
    withinMs: 2_000,
  },
  {
    family: 'expansion',
    name: 'a Deployment of 150,000 replicas',
    request: () => sandboxWrite('replicas-150k', deployment(150_000)),
    expect: { status: 422, code: 'engine-limit-exceeded', issueCode: 'LIMIT_EXCEEDED' },
    withinMs: 2_000,
  },
  {
    family: 'expansion',
    name: '500 nodes × 500 DaemonSets',
    request: () => sandboxWrite('daemonsets', daemonSetsOnNodes(500, 500)),
    expect: { status: 422, code: 'engine-limit-exceeded', issueCode: 'LIMIT_EXCEEDED' },
    // 501 documents (250 KB) to parse before the pods can be counted: 5.7-8 s on a 2-core
    // machine loaded about 10-fold, in the engine's threads (the API keeps answering meanwhile).
    withinMs: 12_000,
  },
  {
    family: 'expansion',
    name: 'a run step scaling a Deployment to 1,000,000,000',
    request: ({ sandboxId }) => ({
      method: 'POST',
      path: `/v1/sandboxes/${sandboxId}/runs`,
      contentType: 'application/json',
      body: JSON.stringify({
        steps: [{ name: 'scale', scale: { deployment: 'website', replicas: 1_000_000_000 } }],
      }),
    }),
    expect: { status: 422, code: 'engine-limit-exceeded', issueCode: 'LIMIT_EXCEEDED' },
    withinMs: 2_000,
  },
];
