import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { applyMutation } from '../cluster/mutations';
import { clusterYaml, deploymentYaml, podsOf } from './spec-fixtures';

/** One worker with a /29 pod range: host-local may hand out .2-.6 (.1 is the bridge, .7 broadcast). */
const tinyCluster = clusterYaml(`  nodeCIDRMaskSize: 29
  nodes:
    - {name: control-plane, ip: 172.18.0.2, role: control-plane}
    - {name: worker, ip: 172.18.0.3, role: worker}`);

const ips = (state: ReturnType<typeof clusterFromYaml>) =>
  podsOf(state, 'default', 'web-').map((p) => p.ip);

describe('host-local IPAM', () => {
  it('hands out addresses in order from .2 of the node range', () => {
    const state = clusterFromYaml(tinyCluster, deploymentYaml('web', 3));
    expect(state.nodes.get('worker')!.podCIDR).toBe('10.244.0.8/29');
    expect(ips(state)).toEqual(['10.244.0.10', '10.244.0.11', '10.244.0.12']);
  });

  it('does not reuse a freed address until the range wraps', () => {
    const state = clusterFromYaml(tinyCluster, deploymentYaml('web', 3));
    const [first] = podsOf(state, 'default', 'web-');
    applyMutation(state, { action: 'delete', target: `pod/${first.name}` });
    expect(ips(state)).toEqual(['10.244.0.11', '10.244.0.12', '10.244.0.13']);
    applyMutation(state, { action: 'scale', target: 'deployment/web', replicas: 5 });
    // .14 is the last usable address; the next allocation wraps to the freed .10.
    expect(ips(state)).toEqual([
      '10.244.0.11',
      '10.244.0.12',
      '10.244.0.13',
      '10.244.0.14',
      '10.244.0.10',
    ]);
  });

  it('leaves a pod Pending with a warning once the node range is exhausted', () => {
    const state = clusterFromYaml(tinyCluster, deploymentYaml('web', 6));
    const pending = podsOf(state, 'default', 'web-').filter((p) => !p.ip);
    expect(pending).toHaveLength(1);
    expect(pending[0].pendingReason).toBe(
      'failed to allocate for range 0: no IP addresses available in range set 10.244.0.8/29',
    );
    expect(state.warnings).toContainEqual(
      expect.objectContaining({
        code: 'RANGE_EXHAUSTED',
        object: `Pod/default/${pending[0].name}`,
      }),
    );
  });
});
