import { layoutPicture, podColumns, POD } from './layout';
import type { ClusterPicture, PicturePod } from './picture-model';

function pod(node: string, i: number): PicturePod {
  return {
    id: `pod:default/${node}-${i}`,
    namespace: 'default',
    name: `${node}-${i}`,
    ip: `10.244.0.${i}`,
    node,
    labels: { app: 'x' },
    ready: true,
    phase: 'Running',
    hostNetwork: false,
    isolation: { ingress: false, egress: false, policies: [] },
  };
}

function picture(nodes: number, podsPerNode: number, services = 5): ClusterPicture {
  return {
    nodes: Array.from({ length: nodes }, (_, n) => ({
      id: `node:n${n}`,
      name: `n${n}`,
      ip: `172.18.0.${n + 2}`,
      role: 'worker',
      ready: true,
      pods: Array.from({ length: podsPerNode }, (_, i) => pod(`n${n}`, i)),
    })),
    pendingPods: [],
    services: Array.from({ length: services }, (_, i) => ({
      id: `svc:default/s${i}`,
      namespace: 'default',
      name: `s${i}`,
      type: 'ClusterIP',
      clusterIP: `10.96.0.${i + 20}`,
      ports: ['80/TCP'],
      externalIPs: [],
      loadBalancer: [],
      endpoints: [{ pod: `pod:default/n0-${i}`, ready: i % 2 === 0 }],
    })),
    entries: [],
  };
}

const overlaps = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('the cluster layout', () => {
  it('keeps nodes roughly square as pods are added', () => {
    expect([1, 4, 10, 30, 100].map(podColumns)).toEqual([1, 2, 2, 4, 4]);
  });

  it('places 3 nodes x 30 pods with every pod inside its node and no two pods overlapping', () => {
    const p = picture(3, 30);
    const layout = layoutPicture(p);
    const pods = p.nodes.flatMap((n) =>
      n.pods.map((pd) => ({ node: n.id, box: layout.boxes.get(pd.id)! })),
    );
    expect(pods).toHaveLength(90);
    for (const { node, box } of pods) {
      const parent = layout.boxes.get(node)!;
      expect(box.x).toBeGreaterThanOrEqual(parent.x);
      expect(box.y).toBeGreaterThanOrEqual(parent.y);
      expect(box.x + box.w).toBeLessThanOrEqual(parent.x + parent.w);
      expect(box.y + box.h).toBeLessThanOrEqual(parent.y + parent.h);
      expect(box.w).toBe(POD.w);
    }
    for (let i = 0; i < pods.length; i++)
      for (let j = i + 1; j < pods.length; j++)
        expect(overlaps(pods[i].box, pods[j].box)).toBe(false);
  });

  it('puts the outside client above the Services and the Services above the nodes', () => {
    const layout = layoutPicture(picture(2, 3));
    const external = layout.boxes.get('external')!;
    const service = layout.boxes.get('svc:default/s0')!;
    const node = layout.boxes.get('node:n0')!;
    expect(external.y + external.h).toBeLessThan(service.y);
    expect(service.y + service.h).toBeLessThan(node.y);
    expect(layout.width).toBeGreaterThanOrEqual(node.x + node.w);
    expect(layout.height).toBeGreaterThanOrEqual(node.y + node.h);
  });

  it('draws an edge from each Service to its endpoints, dashed when not ready', () => {
    const layout = layoutPicture(picture(1, 5, 2));
    expect(layout.edges).toEqual([
      { from: 'svc:default/s0', to: 'pod:default/n0-0', kind: 'endpoint', ready: true },
      { from: 'svc:default/s1', to: 'pod:default/n0-1', kind: 'endpoint', ready: false },
    ]);
  });
});
