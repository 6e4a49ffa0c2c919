import { clusterFromYaml } from '../testing/cluster-from-yaml';
import {
  clusterWith,
  lbServiceYaml,
  METALLB_L2,
  METALLB_POOL,
  pinnedWebPods,
  WEB_YAML,
} from '../external/spec-fixtures';
import { lintNorthSouth } from './lint-north-south';

function codes(...yaml: string[]): string[] {
  return lintNorthSouth(clusterFromYaml(...yaml)).map((i) => `${i.code} ${i.object}`);
}

describe('lintNorthSouth', () => {
  it.each([
    {
      name: 'a clean MetalLB setup has no findings',
      yaml: [WEB_YAML, METALLB_POOL, METALLB_L2, lbServiceYaml('web')],
      expected: [],
    },
    {
      name: 'a pool without any advertisement',
      yaml: [WEB_YAML, METALLB_POOL, lbServiceYaml('web')],
      expected: ['LB_NOT_ADVERTISED IPAddressPool/metallb-system/main'],
    },
    {
      name: 'a LoadBalancer whose only pod is not ready',
      yaml: [
        METALLB_POOL,
        METALLB_L2,
        lbServiceYaml('web'),
        pinnedWebPods('worker').replace(
          'metadata: { name: web-0, labels: { app: web } }',
          'metadata: { name: web-0, labels: { app: web }, annotations: { netplay.dev/ready: "false" } }',
        ),
      ],
      expected: ['LB_NO_ENDPOINTS Service/default/web'],
    },
    {
      name: 'a selector matching no pod',
      yaml: [METALLB_POOL, METALLB_L2, lbServiceYaml('web')],
      expected: ['SELECTOR_MATCHES_NOTHING Service/default/web'],
    },
    {
      name: 'a named targetPort no pod defines',
      yaml: [
        WEB_YAML,
        METALLB_POOL,
        METALLB_L2,
        lbServiceYaml('web').replace('targetPort: http', 'targetPort: web'),
      ],
      expected: ['NAMED_PORT_NOT_FOUND Service/default/web'],
    },
    {
      name: 'an L2Advertisement whose nodeSelectors match no node',
      yaml: [
        WEB_YAML,
        METALLB_POOL,
        `${METALLB_L2}\nspec:\n  nodeSelectors: [{ matchLabels: { edge: "true" } }]`,
        lbServiceYaml('web'),
      ],
      expected: ['SELECTOR_MATCHES_NOTHING L2Advertisement/metallb-system/l2'],
    },
    {
      name: 'eTP Local where the announcing node (kube-vip leader) runs no endpoint',
      yaml: [
        clusterWith('  loadBalancer: { provider: kube-vip, addresses: ["172.18.100.10/32"] }'),
        pinnedWebPods('worker'),
        lbServiceYaml('web', '  externalTrafficPolicy: Local'),
      ],
      expected: ['LB_NO_LOCAL_ENDPOINT Service/default/web'],
    },
  ])('$name', ({ yaml, expected }) => {
    expect(codes(...yaml)).toEqual(expected);
  });
});
