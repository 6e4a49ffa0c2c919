import { MAX_STEPS_PER_RUN, readRunSteps } from './read-run-steps';

describe('readRunSteps', () => {
  it.each<[string, unknown, { path: string; message: RegExp }]>([
    ['a body that is not an object', [1, 2], { path: '', message: /JSON object/ }],
    ['a body without steps', {}, { path: 'steps', message: /is required/ }],
    [
      'an unknown top-level field',
      { steps: [], manifests: 'x' },
      { path: 'manifests', message: /unknown field/ },
    ],
    ['an empty list of steps', { steps: [] }, { path: 'steps', message: /at least one/ }],
    [
      'too many steps',
      { steps: Array.from({ length: MAX_STEPS_PER_RUN + 1 }, () => ({ cordon: 'n' })) },
      { path: 'steps', message: /at most/ },
    ],
    [
      'a probe without its source',
      { steps: [{ probe: { to: 'website' } }] },
      { path: 'steps[0].probe.from', message: /is required/ },
    ],
    [
      'an unknown action in the second step',
      { steps: [{ cordon: 'node-1' }, { ping: {} }] },
      { path: 'steps[1].ping', message: /unknown step action/ },
    ],
    [
      'a bad protocol',
      { steps: [{ probe: { from: 'a', to: 'b', protocol: 'ICMP' } }] },
      { path: 'steps[0].probe.protocol', message: /must be one of/ },
    ],
    [
      'a negative scale',
      { steps: [{ scale: { deployment: 'web', replicas: -1 } }] },
      { path: 'steps[0].scale.replicas', message: /integer/ },
    ],
  ])('refuses %s, naming the field', (_, body, expected) => {
    const reading = readRunSteps(body);
    if (reading.ok) throw new Error('expected problems');
    expect(reading.problems[0]).toMatchObject({
      path: expected.path,
      message: expect.stringMatching(expected.message),
    });
  });

  it('accepts the engine scenario steps and normalises them as the engine does', () => {
    const reading = readRunSteps({
      steps: [
        { name: 'wget', probe: { from: 'default/client', to: 'http://website/', protocol: 'tcp' } },
        { get: { kind: 'pods' } },
      ],
    });
    expect(reading).toEqual({
      ok: true,
      steps: [
        { name: 'wget', probe: { from: 'default/client', to: 'http://website/', protocol: 'TCP' } },
        { get: { kind: 'pods' } },
      ],
    });
  });
});
