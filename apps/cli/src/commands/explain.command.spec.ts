import { runCli } from '../cli';

const YAML = `apiVersion: v1
kind: Namespace
metadata: { name: prod }
---
apiVersion: v1
kind: Namespace
metadata: { name: other }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: prod, labels: { app: web } }
spec: { containers: [{ name: httpd, image: httpd, ports: [{ name: http, containerPort: 80 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: other, labels: { app: client } }
spec: { containers: [{ name: busybox, image: busybox }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-other, namespace: prod }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { name: other } } }]
      ports: [{ port: http }]`;

function cli(args: string) {
  return runCli(args.split(' '), { cwd: '/', readStdin: () => YAML });
}

describe('netplay explain', () => {
  it('prints each pod with its policies in words, then the lint warnings', () => {
    const r = cli('explain - -n prod');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`pod prod/web (app=web)
  ingress: isolated: only the incoming traffic the rules below allow (and from its own node)
  egress: not isolated: all outgoing traffic allowed
  NetworkPolicy prod/from-other (Ingress)
    ingress: allows TCP port "http" from all pods in namespaces labelled name=other

warnings:
  - <stdin> doc 5 NetworkPolicy prod/from-other: spec.ingress[0].from[0].namespaceSelector: no namespace has the label "name", so this peer matches nothing; to select namespace other by name use kubernetes.io/metadata.name: other
`);
  });

  it('prints {pods, warnings} with --json', () => {
    const out = JSON.parse(cli('explain - --json').stdout);
    expect(
      out.pods.map((p: { namespace: string; pod: string }) => `${p.namespace}/${p.pod}`),
    ).toEqual(['other/client', 'prod/web']);
    expect(out.warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'POLICY_UNKNOWN_NAMESPACE_LABEL',
        doc: 5,
        object: 'NetworkPolicy/prod/from-other',
      }),
    ]);
  });

  it('rejects an unknown namespace as bad input', () => {
    expect(cli('explain - -n nope')).toMatchObject({
      code: 2,
      stderr: 'error: -n nope: namespace not found\n',
    });
  });
});

describe('netplay trace after a POLICY_DENIED verdict', () => {
  it('prints the suggested NetworkPolicy after the verdict', () => {
    const ip = JSON.parse(cli('get pods - -n prod -o json').stdout).items[0].status.podIP;
    const denied = cli(`trace - --from other/client --to ${ip}:80`);
    expect(denied.code).toBe(0);
    expect(denied.stdout).toMatch(
      /verdict: dropped \(POLICY_DENIED\)[\s\S]*\nsuggestion:\n {2}- Add NetworkPolicy prod\/allow-client-to-web: it lets other\/client reach prod\/web on TCP 80\.\n/,
    );
    expect(denied.stdout).toContain(
      '  kubectl apply -f - <<EOF\n  apiVersion: networking.k8s.io/v1\n',
    );
  });

  it('includes the suggestion in --json', () => {
    const ip = JSON.parse(cli('get pods - -n prod -o json').stdout).items[0].status.podIP;
    const trace = JSON.parse(cli(`trace - --from other/client --to ${ip}:80 --json`).stdout);
    expect(trace.suggestion).toMatchObject({
      changes: [
        { action: 'add-network-policy', direction: 'Ingress', policy: 'prod/allow-client-to-web' },
      ],
    });
    expect(trace.suggestion.yaml).toContain('kind: NetworkPolicy');
  });
});
