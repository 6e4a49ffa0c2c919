import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli';

/**
 * End to end: the CLI writes a capture of the seeds' website probe and tshark decodes it. Runs
 * wherever tshark is installed (CI installs it in .ci/run).
 */
const ROOT = join(__dirname, '..', '..', '..');
const MANIFESTS = 'test/scenarios/manifests';
const HAS_TSHARK = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
const describeWithTshark = HAS_TSHARK ? describe : describe.skip;

const FIELDS = [
  'frame.protocols',
  'ip.src',
  'ip.dst',
  'udp.dstport',
  'vxlan.vni',
  'tcp.flags',
  'dns.qry.name',
  'dns.flags.response',
  'http.request.method',
  'http.request.uri',
  'http.request.version',
  'http.host',
  'ip.checksum.status',
  'tcp.checksum.status',
  'udp.checksum.status',
  '_ws.expert.message',
] as const;
type Field = (typeof FIELDS)[number];
type DecodedFrame = Record<Field, string[]>;

let dir = '';
beforeAll(() => {
  if (HAS_TSHARK) dir = mkdtempSync(join(tmpdir(), 'netplay-pcap-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * The seeds' website manifests with the client on `worker` and every website pod on `worker2`, so
 * whichever endpoint kube-proxy picks, the request crosses the underlay.
 */
function websiteAcrossNodes(): string {
  const read = (file: string) => readFileSync(join(ROOT, MANIFESTS, file), 'utf8');
  const client = read('client-pod.yaml').replace(
    'spec:\n  containers:',
    'spec:\n  nodeName: worker\n  containers:',
  );
  const website = read('website-deployment.yaml').replace(
    '    spec:\n      containers:',
    '    spec:\n      nodeSelector:\n        kubernetes.io/hostname: worker2\n      containers:',
  );
  if (!client.includes('nodeName') || !website.includes('nodeSelector'))
    throw new Error(`${MANIFESTS} changed shape: pin the pods some other way`);
  return [website, read('website-service.yaml'), client].join('\n---\n');
}

/** Runs `netplay trace` with --pcap for the seeds' website probe on `cni`, then decodes the file. */
function captureAndDecode(cni: string): { stderr: string; frames: DecodedFrame[] } {
  const cluster = join(dir, `${cni}-cluster.yaml`);
  writeFileSync(
    cluster,
    `apiVersion: netplay.dev/v1alpha1\nkind: Cluster\nmetadata: { name: kind }\nspec:\n  cni: ${cni}\n`,
  );
  const manifests = join(dir, 'website-across-nodes.yaml');
  writeFileSync(manifests, websiteAcrossNodes());
  const out = join(dir, `${cni}.pcap`);
  const run = runCli(
    [
      'trace',
      cluster,
      manifests,
      '--from',
      'default/client',
      '--to',
      'http://website.default/',
      '--pcap',
      out,
    ],
    {
      cwd: ROOT,
      readStdin: () => '',
    },
  );
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/\nverdict: delivered/);
  const checks = ['ip', 'tcp', 'udp'].flatMap((p) => ['-o', `${p}.check_checksum:TRUE`]);
  const tshark = spawnSync(
    'tshark',
    [
      '-r',
      out,
      '-d',
      'udp.port==8472,vxlan',
      ...checks,
      '-T',
      'fields',
      '-E',
      'separator=\t',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=|',
      ...FIELDS.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8' },
  );
  expect(tshark.status).toBe(0);
  const frames = tshark.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const values = line.split('\t');
      return Object.fromEntries(
        FIELDS.map((f, i) => [f, values[i] ? values[i].split('|') : []]),
      ) as DecodedFrame;
    });
  return { stderr: run.stderr, frames };
}

describeWithTshark(
  `netplay trace --pcap decoded by tshark${HAS_TSHARK ? '' : ' (skipped: tshark is not installed)'}`,
  () => {
    describe.each(['flannel', 'kindnet'])('the website probe on %s', (cni) => {
      let decoded: { stderr: string; frames: DecodedFrame[] };
      beforeAll(() => {
        decoded = captureAndDecode(cni);
      });

      it('reports the packet count on stderr, not stdout', () => {
        expect(decoded.stderr).toBe(
          `wrote ${decoded.frames.length} packets to ${join(dir, `${cni}.pcap`)}\n`,
        );
      });

      it('decodes the lookup as eth/ip/udp/dns with the search-list query names in order', () => {
        const queries = decoded.frames.filter(
          (f) =>
            f['frame.protocols'][0] === 'eth:ethertype:ip:udp:dns' &&
            f['dns.flags.response'][0] === '0',
        );
        const names = queries
          .map((f) => f['dns.qry.name'][0])
          .filter((name, i, all) => name !== all[i - 1]);
        expect(names).toEqual([
          'website.default.default.svc.cluster.local',
          'website.default.svc.cluster.local',
        ]);
        const responses = decoded.frames.filter((f) => f['dns.flags.response'][0] === '1');
        expect(responses).toHaveLength(queries.length);
      });

      it('decodes the HTTP request line and Host header', () => {
        const requests = decoded.frames.filter((f) => f['http.request.method'][0] === 'GET');
        expect(requests.length).toBeGreaterThan(0);
        expect(requests[0]).toMatchObject({
          'http.request.uri': ['/'],
          'http.request.version': ['HTTP/1.1'],
          'http.host': ['website.default'],
        });
      });

      it('reports every IPv4, TCP and UDP checksum good and no checksum expert info', () => {
        for (const frame of decoded.frames) {
          for (const field of [
            'ip.checksum.status',
            'tcp.checksum.status',
            'udp.checksum.status',
          ] as const) {
            // Wireshark's checksum status: 0 bad, 1 good, 2 unverified.
            expect(frame[field].every((status) => status === '1')).toBe(true);
          }
          expect(frame['_ws.expert.message'].filter((m) => /checksum/i.test(m))).toEqual([]);
        }
        expect(decoded.frames.some((f) => f['tcp.checksum.status'].length > 0)).toBe(true);
      });

      if (cni === 'flannel') {
        it('decodes the underlay frames as VXLAN VNI 1 between the nodes with the inner ip/tcp', () => {
          const vxlan = decoded.frames.filter((f) => f['vxlan.vni'].length > 0);
          expect(vxlan.length).toBeGreaterThan(0);
          for (const frame of vxlan) {
            expect(frame['frame.protocols']).toEqual([
              'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp',
            ]);
            expect(frame['vxlan.vni']).toEqual(['1']);
            expect(frame['udp.dstport']).toEqual(['8472']);
          }
          expect(vxlan[0]).toMatchObject({
            'ip.src': ['172.18.0.3', '10.244.1.2'],
            'tcp.flags': ['0x0002'],
          });
          expect(vxlan[0]['ip.dst'][1]).toMatch(/^10\.244\./);
        });
      } else {
        it('has no encapsulation: every TCP frame is plain eth/ip/tcp', () => {
          const tcp = decoded.frames.filter((f) => f['tcp.flags'].length > 0);
          expect(tcp.length).toBeGreaterThan(0);
          expect(
            tcp.every((f) =>
              ['eth:ethertype:ip:tcp', 'eth:ethertype:ip:tcp:http'].includes(
                f['frame.protocols'][0],
              ),
            ),
          ).toBe(true);
        });
      }
    });
  },
);
