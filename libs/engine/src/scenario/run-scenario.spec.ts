import { clusterFromYaml } from '../testing/cluster-from-yaml';
import {
  CLIENT_POD_YAML,
  clusterWith,
  WEBSITE_DEPLOYMENT_YAML,
  WEBSITE_SERVICE_YAML,
  WEBSITE_YAML,
} from '../testing/seed-fixtures';
import type { ProbeTrace } from '../trace/trace-types';
import { runScenario, runSteps } from './run-scenario';
import type { MutationStepResult, StepResult, ViewStepResult } from './scenario-types';

const manifests = [{ name: 'website.yaml', content: WEBSITE_YAML }];

describe('runScenario', () => {
  it('runs steps in order against one evolving cluster', () => {
    const result = runScenario({
      manifests,
      steps: [
        { name: 'before', probe: { from: 'default/client', to: 'http://website.default/' } },
        { scale: { deployment: 'website', replicas: 0 } },
        { name: 'after', probe: { from: 'default/client', to: 'http://website.default/' } },
      ],
    });
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.steps.map((s) => [s.index, s.name, s.kind])).toEqual([
      [0, 'before', 'probe'],
      [1, undefined, 'scale'],
      [2, 'after', 'probe'],
    ]);
    expect((result.steps[0].result as ProbeTrace).verdict).toBe('delivered');
    // No ready endpoints left: kube-proxy rejects (proxier REJECT rule for services without endpoints).
    expect(result.steps[2].result as ProbeTrace).toMatchObject({
      verdict: 'refused',
      dropReason: 'NO_ENDPOINTS',
    });
  });

  it('describes which pods a mutation removed and created', () => {
    const result = runScenario({
      manifests,
      steps: [{ scale: { deployment: 'website', replicas: 4 } }, { delete: { pod: 'client' } }],
    });
    const [scale, del] = result.steps.map((s) => s.result as MutationStepResult);
    expect(scale.mutation).toMatch(
      /^kubectl scale deployment website -n default --replicas=4\n\+ pod default\/website-\S+ \(10\.244\.\d+\.\d+ on worker2?\) created$/,
    );
    expect(del.mutation).toMatch(/^kubectl delete pod client -n default\n- pod default\/client \(/);
    expect(del.issues).toEqual([]);
  });

  it('returns step problems as issues, not exceptions', () => {
    const result = runScenario({
      manifests,
      steps: [
        { delete: { service: 'nope' } },
        { get: { kind: 'widgets' } },
        { cordon: 'no-such-node' },
      ],
    });
    expect(
      result.steps.map((s) => ('issues' in s.result ? s.result.issues[0]?.code : undefined)),
    ).toEqual(['NOT_FOUND', 'UNKNOWN_KIND', 'NOT_FOUND']);
  });

  it('applies manifests given as a step and reports their errors', () => {
    const extra =
      'apiVersion: v1\nkind: Service\nmetadata: { name: extra }\nspec:\n  ports: [{ port: 81 }]\n  selector: { app: website }\n';
    const result = runScenario({
      manifests,
      steps: [{ apply: extra }, { get: { kind: 'svc', name: 'extra' } }, { apply: 'kind: [' }],
    });
    expect((result.steps[1].result as ViewStepResult).view).toMatch(
      /\nextra +ClusterIP +10\.96\.\S+ +<none> +81\/TCP/,
    );
    expect((result.steps[2].result as MutationStepResult).issues[0]).toMatchObject({
      severity: 'error',
      code: 'YAML_SYNTAX',
    });
  });

  it('runs no step when the manifests have errors', () => {
    const result = runScenario({
      manifests: [
        {
          name: 'bad.yaml',
          content:
            'apiVersion: v1\nkind: Service\nmetadata: { name: x }\nspec:\n  ports: [{ port: 0 }]\n',
        },
      ],
      steps: [{ get: { kind: 'pods' } }],
    });
    expect(result.steps).toEqual([]);
    expect(result.issues[0]).toMatchObject({ severity: 'error', path: 'spec.ports[0].port' });
  });

  it('is deterministic: the same input gives byte-identical results', () => {
    const steps = [
      { probe: { from: 'client', to: 'website' } },
      { delete: { pod: 'website' } },
      { get: { kind: 'pods', wide: true } },
    ];
    expect(JSON.stringify(runScenario({ manifests, steps }))).toBe(
      JSON.stringify(runScenario({ manifests, steps })),
    );
  });
});

/** What kube-proxy decided in each probe step: the backend and the notes (affinity, IPVS). */
function kubeProxyChoices(steps: StepResult[]): unknown[] {
  return steps.map((step) => {
    const trace = step.result as ProbeTrace;
    return {
      backend: trace.backend?.ip,
      notes: trace.notes,
      hops: trace.hops
        .filter((hop) => hop.component === 'kube-proxy')
        .map((hop) => hop.description),
    };
  });
}

describe('runSteps', () => {
  it('gives runs that start from one loaded cluster the answers of runs on fresh copies', () => {
    // IPVS round robin and ClientIP affinity keep per-cluster bookkeeping that probes advance.
    const ipvs = [clusterWith('  kubeProxy: {mode: ipvs, ipvsScheduler: rr}\n'), WEBSITE_YAML].join(
      '---\n',
    );
    const sticky = [
      WEBSITE_DEPLOYMENT_YAML,
      WEBSITE_SERVICE_YAML.replace('spec:\n', 'spec:\n  sessionAffinity: ClientIP\n'),
      CLIENT_POD_YAML,
    ].join('---\n');
    for (const yaml of [ipvs, sticky]) {
      const steps = [1, 2, 3].map(() => ({
        probe: { from: 'default/client', to: 'http://website.default/' },
      }));
      const shared = clusterFromYaml(yaml);
      const first = runSteps(shared, steps);
      for (const again of [runSteps(shared, steps), runSteps(clusterFromYaml(yaml), steps)]) {
        expect(kubeProxyChoices(again)).toEqual(kubeProxyChoices(first));
        expect(JSON.stringify(again) === JSON.stringify(first)).toBe(true);
      }
    }
  });

  it('leaves the given cluster untouched', () => {
    const state = clusterFromYaml(WEBSITE_YAML);
    const pods = [...state.pods.keys()];
    runSteps(state, [{ scale: { deployment: 'website', replicas: 1 } }, { failNode: 'worker' }]);
    expect([...state.pods.keys()]).toEqual(pods);
    expect(state.nodes.get('worker')?.ready).toBe(true);
  });
});
