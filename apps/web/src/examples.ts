/** The manifests that ship in examples/manifests: a learner can start a sandbox from one. */
import website from '../../../examples/manifests/website.yaml?raw';
import websiteNodePort from '../../../examples/manifests/website-nodeport.yaml?raw';

export interface ShippedExample {
  name: string;
  title: string;
  manifests: string;
  probe: { from: string; to: string };
}

export const SHIPPED_EXAMPLES: ShippedExample[] = [
  {
    name: 'website',
    title: 'website: a 3-replica Deployment behind a ClusterIP Service',
    manifests: website,
    probe: { from: 'default/client', to: 'http://website.default/' },
  },
  {
    name: 'website-nodeport',
    title: 'website-nodeport: the same website reached through a NodePort',
    manifests: websiteNodePort,
    probe: { from: 'external', to: 'http://172.18.0.3:30080/' },
  },
];
