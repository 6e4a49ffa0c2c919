import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../engine/analyze';
import {
  hopRule,
  isDnsHop,
  matchingLines,
  natLabels,
  packetBefore,
  packetChange,
  policyDecision,
  stoppingHop,
} from './hops';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const PROBE = { from: 'default/client', to: 'http://website.default/' };

describe('reading a trace for the picture', () => {
  const { trace } = analyze({ manifests: WEBSITE, probe: PROBE });
  const hops = trace!.hops;

  it('puts the DNS lookup in its own lane, before the connection', () => {
    const lanes = hops.map(isDnsHop);
    const firstPacket = lanes.indexOf(false);
    expect(firstPacket).toBeGreaterThan(0);
    expect(lanes.slice(0, firstPacket).every(Boolean)).toBe(true);
    expect(lanes.slice(firstPacket).some(Boolean)).toBe(false);
  });

  it("names kube-proxy's DNAT, and the connection's first hop is no rewrite of the DNS packet", () => {
    const firstPacket = hops.findIndex((h) => !isDnsHop(h));
    expect(packetBefore(hops, firstPacket)).toBeUndefined();
    const dnat = hops.findIndex((h, i) => !isDnsHop(h) && h.component === 'kube-proxy' && i > 0);
    expect(packetChange(packetBefore(hops, dnat), hops[dnat].packet)).toEqual({
      dnat: true,
      snat: false,
    });
    expect(hopRule(hops[dnat])).toEqual({
      view: 'kube-proxy-rules',
      node: 'worker',
      match: hops[dnat].interface,
    });
  });

  it("names conntrack's reply rewrite reverse NAT, not SNAT", () => {
    const reply = hops.findIndex((h) => h.component === 'conntrack' && h.direction === 'reply');
    const change = packetChange(packetBefore(hops, reply), hops[reply].packet);
    expect(change.snat).toBe(true);
    expect(natLabels(hops[reply], change)).toEqual(['reverse NAT']);
  });

  it('finds the lines of a rule in a node view', () => {
    expect(matchingLines('a KUBE-SVC-X\nb\nc KUBE-SVC-X -j', 'KUBE-SVC-X')).toEqual([1, 3]);
  });

  it('reads the deciding policy of a drop', () => {
    const denied = analyze({
      manifests: `${WEBSITE}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`,
      probe: PROBE,
    }).trace!;
    const stop = stoppingHop(denied)!;
    expect(stop.component).toBe('network-policy');
    expect(policyDecision(stop)).toMatchObject({
      policy: 'default/deny-all',
      direction: 'Ingress',
    });
    expect(stoppingHop(trace!)).toBeUndefined();
  });
});
