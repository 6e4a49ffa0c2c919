import { clusterYaml } from '../../bench/cluster-fixture';
import { createCluster } from './create-cluster';
import { setFromYaml } from './spec-fixtures';

/**
 * The benchmark's cluster (1,000 Deployments × 5 replicas, 1,000 Services, 21 nodes): the
 * controllers' share of the build must stay well under a second. Parsing is measured elsewhere.
 */
describe('createCluster at benchmark size', () => {
  it('builds 5,000 pods and 1,000 Services with their slices in well under a second', () => {
    const set = setFromYaml(clusterYaml({ namespaces: 20, deployments: 1000, replicas: 5, services: 1000 }));
    expect(set.issues.filter((i) => i.severity === 'error')).toEqual([]);
    createCluster(set); // warm-up: JIT, so the timing below is the steady state
    const start = performance.now();
    const { state, issues } = createCluster(set);
    const elapsed = performance.now() - start;
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(state.pods.size).toBe(5002);
    expect([...state.pods.values()].every((p) => p.ip)).toBe(true);
    expect([...state.endpointSlices.values()].filter((s) => s.serviceName.startsWith('svc-')).length).toBe(1000);
    expect(elapsed).toBeLessThan(1000);
  });
});
