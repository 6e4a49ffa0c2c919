import { formatIssues, scenarioRunInput } from './scenario-run-input';

const MANIFESTS =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n    - name: c\n      image: busybox\n';

describe('scenarioRunInput', () => {
  it.each<[string, unknown, number]>([
    ['empty settings add no Cluster document', {}, 1],
    ['null settings add no Cluster document', null, 1],
    ['settings become a Cluster document before the manifests', { cni: { plugin: 'calico' } }, 2],
  ])('%s', (_, clusterSettings, files) => {
    const input = scenarioRunInput({ manifests: MANIFESTS, clusterSettings, steps: [] });
    expect(input.ok && input.manifests.length).toBe(files);
  });

  it('writes the settings as the spec of a netplay Cluster', () => {
    const input = scenarioRunInput({
      manifests: MANIFESTS,
      clusterSettings: { podCIDR: '10.244.0.0/16' },
      steps: [],
    });
    if (!input.ok) throw new Error('expected input');
    expect(JSON.parse(input.manifests[0].content)).toEqual({
      apiVersion: 'netplay.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'sandbox' },
      spec: { podCIDR: '10.244.0.0/16' },
    });
  });

  it('keeps valid steps in order', () => {
    const steps = [
      { name: 'get', get: { kind: 'pods' } },
      { probe: { from: 'default/client', to: 'http://website.default/' } },
    ];
    const input = scenarioRunInput({ manifests: MANIFESTS, clusterSettings: {}, steps });
    expect(input.ok && input.steps).toEqual(steps);
  });

  it.each<[string, unknown, string]>([
    ['steps that are not a list', { probe: {} }, 'steps: must be a list'],
    ['an unknown step action', [{ teleport: 'x' }], 'steps[0].teleport: unknown step action'],
    ['a step that is not a mapping', ['probe'], 'steps[0]: a step must be a mapping'],
  ])('refuses %s, naming the run field', (_, steps, message) => {
    const input = scenarioRunInput({ manifests: MANIFESTS, clusterSettings: {}, steps });
    if (input.ok) throw new Error('expected issues');
    expect(formatIssues(input.issues)).toContain(message);
  });
});
