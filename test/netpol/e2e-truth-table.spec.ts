import { E2E_CASES } from './e2e-cases';
import { buildCluster, differences, expectedMatrix, podIPs, probeMatrix } from './netpol-fixture';

describe("Kubernetes' NetworkPolicy e2e truth tables, probed pod → Service ClusterIP", () => {
  const ips = podIPs();

  it('covers at least 40 cases', () => {
    expect(E2E_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(E2E_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const policies = typeof c.policies === 'function' ? c.policies(ips) : c.policies;
    const state = buildCluster(policies, c.fixture);
    expect(differences(probeMatrix(state, c.port, c.protocol), expectedMatrix(c.expect))).toEqual(
      [],
    );
  });
});
