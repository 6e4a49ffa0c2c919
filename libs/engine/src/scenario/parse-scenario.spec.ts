import { parseScenario, readScenarioSteps } from './parse-scenario';

const HEAD = 'apiVersion: netplay.dev/v1alpha1\nkind: Scenario\nmetadata: { name: website }\n';

describe('parseScenario', () => {
  it('reads inline manifests, path entries and named steps in order', () => {
    const { scenario, issues } = parseScenario(`${HEAD}spec:
  manifests:
    - path: website-deployment.yaml
    - |
      apiVersion: v1
      kind: Service
      metadata: { name: website }
  steps:
    - name: wget website.default from the client
      probe: { from: default/client, to: http://website.default/ }
    - cordon: worker
    - scale: { deployment: website, replicas: 2 }
`);
    expect(issues).toEqual([]);
    expect(scenario?.name).toBe('website');
    expect(scenario?.manifests).toEqual([
      { path: 'website-deployment.yaml' },
      { inline: 'apiVersion: v1\nkind: Service\nmetadata: { name: website }\n' },
    ]);
    expect(scenario?.steps).toEqual([
      {
        name: 'wget website.default from the client',
        probe: { from: 'default/client', to: 'http://website.default/' },
      },
      { cordon: 'worker' },
      { scale: { deployment: 'website', replicas: 2 } },
    ]);
  });

  it('upper-cases a lower-case probe protocol', () => {
    const { scenario } = parseScenario(
      `${HEAD}spec:\n  steps:\n    - probe: { from: a, to: b, protocol: udp }\n`,
    );
    expect(scenario?.steps[0]).toEqual({ probe: { from: 'a', to: 'b', protocol: 'UDP' } });
  });

  it.each([
    ['an unknown action', '    - ping: { from: a }', 'spec.steps[0].ping', 'unknown step action'],
    [
      'two actions in one step',
      '    - { cordon: worker, uncordon: worker }',
      'spec.steps[0]',
      'exactly one action',
    ],
    ['a probe without to', '    - probe: { from: a }', 'spec.steps[0].probe.to', 'is required'],
    [
      'a negative replica count',
      '    - scale: { deployment: web, replicas: -1 }',
      'spec.steps[0].scale.replicas',
      'integer',
    ],
    [
      'a scale without target',
      '    - scale: { replicas: 1 }',
      'spec.steps[0].scale',
      'exactly one of deployment',
    ],
    [
      'setReady without a boolean',
      '    - setReady: { pod: x, ready: "no" }',
      'spec.steps[0].setReady.ready',
      'true or false',
    ],
    [
      'a bad output format',
      '    - get: { kind: pods, output: table }',
      'spec.steps[0].get.output',
      'one of wide',
    ],
    ['a node action without a node', '    - failNode: {}', 'spec.steps[0].failNode', 'node name'],
  ])('reports %s with its field path', (_case, stepLine, path, message) => {
    const { scenario, issues } = parseScenario(`${HEAD}spec:\n  steps:\n${stepLine}\n`);
    expect(scenario).toBeNull();
    expect(issues[0]).toMatchObject({ severity: 'error', path });
    expect(issues[0].message).toContain(message);
  });

  it('rejects a wrong apiVersion or kind and YAML syntax errors as issues', () => {
    expect(
      parseScenario('apiVersion: v1\nkind: Pod\nspec: {}\n').issues.map((i) => i.path),
    ).toEqual(['apiVersion', 'kind']);
    expect(parseScenario('spec: [').issues[0].code).toBe('YAML_SYNTAX');
    expect(parseScenario('- a\n- b\n').issues[0].code).toBe('NOT_AN_OBJECT');
  });

  it('rejects a manifest entry that is neither a string nor {path}', () => {
    const { issues } = parseScenario(`${HEAD}spec:\n  manifests:\n    - { file: x.yaml }\n`);
    expect(issues[0]).toMatchObject({ path: 'spec.manifests[0]' });
  });
});

describe('readScenarioSteps', () => {
  it('reads steps that are already data with the checks of a scenario file, naming fields from the given path', () => {
    const { steps, issues } = readScenarioSteps([{ probe: { from: 'a' } }, { teleport: 'x' }], {
      path: 'steps',
      object: 'Run',
    });
    expect(steps).toBeNull();
    expect(issues.map((issue) => [issue.path, issue.object])).toEqual([
      ['steps[0].probe.to', 'Run'],
      ['steps[1].teleport', 'Run'],
    ]);
  });

  it('returns normalised copies and leaves the given data as it was', () => {
    const raw = [{ name: 'dig', probe: { from: 'a', to: 'b', protocol: 'udp' } }];
    const { steps } = readScenarioSteps(raw);
    expect(steps).toEqual([{ name: 'dig', probe: { from: 'a', to: 'b', protocol: 'UDP' } }]);
    expect(raw[0].probe.protocol).toBe('udp');
  });

  it('refuses steps that are not a list', () => {
    expect(readScenarioSteps({ probe: {} }).issues[0]).toMatchObject({
      path: 'steps',
      message: 'must be a list',
    });
  });
});
