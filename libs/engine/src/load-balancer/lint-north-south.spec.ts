import { clusterFromYaml } from '../testing/cluster-from-yaml';
import {
  clusterWith,
  lbServiceYaml,
  METALLB_BGP,
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
    {
      name: 'a BGPAdvertisement with no BGPPeer: nobody hears the routes',
      yaml: [WEB_YAML, METALLB_POOL, METALLB_BGP.split('---')[1], lbServiceYaml('web')],
      expected: ['LB_NOT_ADVERTISED BGPAdvertisement/metallb-system/bgp'],
    },
    {
      name: 'a BGPAdvertisement naming a peer that does not exist',
      yaml: [
        WEB_YAML,
        METALLB_POOL,
        `${METALLB_BGP}\nspec: { peers: [core-router] }`,
        lbServiceYaml('web'),
      ],
      expected: [
        'SELECTOR_MATCHES_NOTHING BGPAdvertisement/metallb-system/bgp',
        'LB_NOT_ADVERTISED BGPAdvertisement/metallb-system/bgp',
      ],
    },
    {
      name: 'a LoadBalancer with no implementation stays pending',
      yaml: [WEB_YAML, lbServiceYaml('web')],
      expected: ['LB_PENDING Service/default/web'],
    },
    {
      name: 'a LoadBalancer whose loadBalancerClass nobody implements stays pending',
      yaml: [
        WEB_YAML,
        METALLB_POOL,
        METALLB_L2,
        lbServiceYaml('web', '  loadBalancerClass: example.com/internal'),
      ],
      expected: ['LB_PENDING Service/default/web'],
    },
    {
      name: 'cloud instance targets with allocateLoadBalancerNodePorts false',
      yaml: [
        clusterWith('  loadBalancer: { provider: cloud }'),
        WEB_YAML,
        lbServiceYaml('web', '  allocateLoadBalancerNodePorts: false'),
      ],
      expected: ['LB_NO_NODE_PORT Service/default/web'],
    },
  ])('$name', ({ yaml, expected }) => {
    expect(codes(...yaml)).toEqual(expected);
  });

  it('the pending hint says what to configure and names the NodePorts that still work', () => {
    const [pending] = lintNorthSouth(clusterFromYaml(WEB_YAML, lbServiceYaml('web')));
    expect(pending.message).toMatch(
      /^EXTERNAL-IP stays <pending>: no load-balancer implementation is configured .*spec\.loadBalancer .* NodePorts \(80:3\d{4}\)\.$/,
    );
  });
});
