import { clusterDoc, WEBSITE_YAML } from '../cni/spec-fixtures';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { dnsProbe } from '../probe/dns-probe';
import { traceProbe } from '../probe/probe';
import { connectionCapturePoints } from './capture-points';
import { dnsFrames } from './dns-frames';
import { decodeLayers, readPcap } from './read-pcap-for-tests';
import { SYNTHETIC_EPOCH_SECONDS, pcapFrameCount, traceToPcap } from './trace-to-pcap';

/**
 * The seed's website example with the client on `worker` and every website pod on `worker2`, so
 * whichever endpoint kube-proxy picks, the packet crosses the underlay.
 */
const CROSS_NODE_WEBSITE_YAML = WEBSITE_YAML.replace(
  '    spec:\n      containers:\n        - name: httpd',
  '    spec:\n      nodeSelector: { kubernetes.io/hostname: worker2 }\n      containers:\n        - name: httpd',
).replace(
  'spec:\n  containers: [{ name: client',
  'spec:\n  nodeName: worker\n  containers: [{ name: client',
);

function websiteTrace(cni: string, to = 'http://website.default/') {
  return traceProbe(clusterFromYaml(clusterDoc(cni), CROSS_NODE_WEBSITE_YAML), {
    from: 'default/client',
    to,
    protocol: 'TCP',
  });
}

const VXLAN_HEADER = 8;
const ETHERNET_HEADER = 14;

describe('traceToPcap', () => {
  it('writes a classic libpcap header: magic a1b2c3d4, version 2.4, snaplen 65535, Ethernet', () => {
    const capture = readPcap(traceToPcap(websiteTrace('kindnet')));
    expect(capture).toMatchObject({
      magic: 0xa1b2c3d4,
      version: '2.4',
      snaplen: 65535,
      linktype: 1,
    });
    expect(capture.frames.length).toBeGreaterThan(0);
  });

  it('stamps frames from a fixed epoch, 1 ms apart, and is byte-identical across runs', () => {
    const bytes = traceToPcap(websiteTrace('flannel'));
    const frames = readPcap(bytes).frames;
    frames.forEach((f, i) =>
      expect(f.seconds * 1_000_000 + f.microseconds).toBe(
        SYNTHETIC_EPOCH_SECONDS * 1_000_000 + i * 1000,
      ),
    );
    expect(Buffer.from(traceToPcap(websiteTrace('flannel'))).equals(Buffer.from(bytes))).toBe(true);
    expect(pcapFrameCount(bytes)).toBe(frames.length);
  });

  it.each([
    [
      'flannel',
      ['pod-netns', 'kube-proxy', 'underlay', 'pod-netns'],
      ['pod-netns', 'underlay', 'conntrack', 'pod-netns'],
    ],
    [
      'kindnet',
      ['pod-netns', 'kube-proxy', 'underlay', 'pod-netns'],
      ['pod-netns', 'underlay', 'conntrack', 'pod-netns'],
    ],
    [
      '{ plugin: calico, mode: ipip }',
      ['pod-netns', 'kube-proxy', 'underlay', 'pod-netns'],
      ['pod-netns', 'underlay', 'conntrack', 'pod-netns'],
    ],
  ])(
    'on %s captures the packet leaving the pod, after DNAT, on the underlay and arriving (and back)',
    (cni, request, reply) => {
      const points = connectionCapturePoints(websiteTrace(cni).hops);
      expect(points.request.map((p) => p.hop.component)).toEqual(request);
      expect(points.reply.map((p) => p.hop.component)).toEqual(reply);
      expect(points.request.map((p) => p.ttl)).toEqual([64, 64, 63, 62]);
    },
  );

  it('writes four frames per DNS query in order: query from the pod, after DNAT, response, after reverse NAT', () => {
    const trace = websiteTrace('kindnet');
    const frames = readPcap(traceToPcap(trace))
      .frames.slice(0, trace.dns.length * 4)
      .map((f) => decodeLayers(f.bytes));
    const coredns = trace.hops.find((h) => h.component === 'kube-proxy')?.packet.dst.ip;
    // The resolver's source port is drawn once per lookup; every frame of the exchange carries it.
    const port = frames[0].srcPort;
    expect(port).toBeGreaterThanOrEqual(32768);
    expect(frames.map((l) => [l.src, l.srcPort, l.dst, l.dstPort])).toEqual(
      trace.dns.flatMap(() => [
        ['10.244.1.2', port, '10.96.0.10', 53],
        ['10.244.1.2', port, coredns, 53],
        [coredns, 53, '10.244.1.2', port],
        ['10.96.0.10', 53, '10.244.1.2', port],
      ]),
    );
  });

  it('has no response frames for a DNS query that timed out', () => {
    const trace = dnsProbe(clusterFromYaml(clusterDoc('kindnet'), WEBSITE_YAML), {
      from: 'default/client',
      name: 'website',
      type: 'A',
    });
    const timedOut = trace.queries.map((q) => ({ ...q, rcode: 'TIMEOUT' as const, answers: [] }));
    expect(dnsFrames(timedOut, trace.hops)).toHaveLength(timedOut.length * 2);
  });

  it('wraps the underlay frame on flannel in VXLAN: outer UDP to 8472 between node IPs, VNI 1, inner TCP between pods', () => {
    const frames = readPcap(traceToPcap(websiteTrace('flannel'))).frames.map((f) => f.bytes);
    const vxlan = frames.filter((f) => decodeLayers(f).dstPort === 8472);
    expect(vxlan.length).toBeGreaterThan(0);
    const outer = decodeLayers(vxlan[0]);
    expect(outer).toMatchObject({ ipProtocol: 17, src: '172.18.0.3', dst: '172.18.0.4' });
    const header = vxlan[0].slice(outer.payloadOffset, outer.payloadOffset + VXLAN_HEADER);
    expect(Array.from(header)).toEqual([0x08, 0, 0, 0, 0, 0, 1, 0]);
    expect(decodeLayers(vxlan[0], outer.payloadOffset + VXLAN_HEADER)).toMatchObject({
      ipProtocol: 6,
      src: '10.244.1.2',
      dst: '10.244.2.2',
      dstPort: 80,
      tcpFlags: 0x02,
    });
  });

  it('wraps the underlay frame on calico ipip in IP protocol 4 with the inner IPv4 packet right after the outer header', () => {
    const frames = readPcap(traceToPcap(websiteTrace('{ plugin: calico, mode: ipip }'))).frames.map(
      (f) => f.bytes,
    );
    const ipip = frames.filter((f) => decodeLayers(f).ipProtocol === 4);
    expect(ipip.length).toBeGreaterThan(0);
    const outer = decodeLayers(ipip[0]);
    expect(outer).toMatchObject({ src: '172.18.0.3', dst: '172.18.0.4' });
    expect(decodeLayers(ipip[0], outer.payloadOffset - ETHERNET_HEADER)).toMatchObject({
      ipProtocol: 6,
      src: '10.244.1.2',
      dst: '10.244.2.2',
    });
  });

  it('sends SYN, SYN-ACK, ACK, the HTTP request with PSH/ACK and the server ACK, in that order', () => {
    const trace = websiteTrace('kindnet');
    const frames = readPcap(traceToPcap(trace))
      .frames.slice(trace.dns.length * 4)
      .map((f) => ({ layers: decodeLayers(f.bytes), bytes: f.bytes }));
    const firstOfEach = [0x02, 0x12, 0x10, 0x18].map((flags) =>
      frames.find((f) => f.layers.tcpFlags === flags),
    );
    expect(firstOfEach.map((f) => f?.layers.src)).toEqual([
      '10.244.1.2',
      '10.244.2.2',
      '10.244.1.2',
      '10.244.1.2',
    ]);
    expect(firstOfEach.every(Boolean)).toBe(true);
    const request = firstOfEach[3];
    expect(
      Buffer.from(request?.bytes.slice(request.layers.payloadOffset) ?? []).toString('ascii'),
    ).toBe('GET / HTTP/1.1\r\nHost: website.default\r\nUser-Agent: Wget\r\n\r\n');
  });

  it('ends a refused connection with RST/ACK and a dropped one after the SYN', () => {
    const refused = traceProbe(clusterFromYaml(clusterDoc('kindnet'), WEBSITE_YAML), {
      from: 'default/client',
      to: '10.244.2.2:81',
      protocol: 'TCP',
    });
    expect(refused.verdict).toBe('refused');
    const refusedFlags = readPcap(traceToPcap(refused)).frames.map(
      (f) => decodeLayers(f.bytes).tcpFlags,
    );
    expect(refusedFlags[refusedFlags.length - 1]).toBe(0x14);
    const dropped = websiteTrace('kindnet', 'http://website.default:8080/');
    expect(dropped.verdict).toBe('dropped');
    const droppedFlags = readPcap(traceToPcap(dropped))
      .frames.slice(dropped.dns.length * 4)
      .map((f) => decodeLayers(f.bytes).tcpFlags);
    expect(new Set(droppedFlags)).toEqual(new Set([0x02]));
  });
});
