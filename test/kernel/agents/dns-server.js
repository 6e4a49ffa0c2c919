// A DNS server for the kernel lane's resolver checks (docs/kernel-lane.md), loaded from a view's
// record table (`get dns-records` for the CoreDNS pods, `get upstream-records` for the nodes'
// nameserver). Options:
//   --records FILE   the table (NAME TTL CLASS TYPE DATA, a header line first)
//   --zones a,b      the zones answered from the table; other names are forwarded (default: all)
//   --forward FILE   a resolv.conf whose first nameserver gets the other names (CoreDNS's
//                    `forward . /etc/resolv.conf`), and the targets of CNAMEs leaving the zones
//   --parents        a name that owns no record but has records below it exists (NODATA), as
//                    the namespaces and `svc` of the cluster zone do
//   --listen IP      the address to bind (default all), port 53 UDP
//   --log FILE       appends "<monotonic ns> <name> <type> <rcode>" per question it answers
// Otherwise a record of the asked type answers; a CNAME is followed (the CNAME first, then the
// target's records); a name with only other types is NODATA; any other name NXDOMAIN.
'use strict';
const dgram = require('node:dgram');
const fs = require('node:fs');

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i], process.argv[i + 1]);
const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33 };
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v, k]));
const RCODES = { 0: 'NOERROR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

const canonical = (name) => name.toLowerCase().replace(/\.$/, '');
const records = new Map();
for (const line of fs.readFileSync(args.get('--records'), 'utf8').split('\n').slice(1)) {
  const [owner, ttl, , type, ...data] = line.trim().split(/\s+/);
  if (!owner || !TYPES[type]) continue;
  const key = canonical(owner);
  records.set(key, [...(records.get(key) ?? []), { type, ttl: Number(ttl), data: data.join(' ') }]);
}
const zones = args.has('--zones') ? args.get('--zones').split(',').map(canonical) : null;
const parents = args.has('--parents');
const forwardTo = args.has('--forward')
  ? /^nameserver\s+(\S+)/m.exec(fs.readFileSync(args.get('--forward'), 'utf8'))?.[1]
  : undefined;
const log = args.get('--log');

const inZone = (name) => !zones || zones.some((z) => name === z || name.endsWith(`.${z}`));
const hasChildren = (name) => [...records.keys()].some((owner) => owner.endsWith(`.${name}`));

function encodeName(name) {
  const parts = canonical(name).split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])),
    Buffer.from([0]),
  ]);
}

function readName(buf, offset) {
  const labels = [];
  let end = -1;
  for (let hops = 0; hops < 64 && buf[offset] !== 0; hops++) {
    if ((buf[offset] & 0xc0) === 0xc0) {
      if (end < 0) end = offset + 2;
      offset = ((buf[offset] & 0x3f) << 8) | buf[offset + 1];
      continue;
    }
    labels.push(buf.subarray(offset + 1, offset + 1 + buf[offset]).toString('latin1'));
    offset += buf[offset] + 1;
  }
  return { name: labels.join('.'), end: end < 0 ? offset + 1 : end };
}

function rdata(type, data) {
  switch (type) {
    case 'A':
      return Buffer.from(data.split('.').map(Number));
    case 'AAAA': {
      const [head, tail = ''] = data.split('::');
      const h = head ? head.split(':') : [];
      const t = tail ? tail.split(':') : [];
      const groups = data.includes('::')
        ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
        : h;
      return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]));
    }
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return encodeName(data);
    case 'TXT': {
      const text = Buffer.from(data.replace(/^"|"$/g, ''), 'latin1');
      return Buffer.concat([Buffer.from([text.length]), text]);
    }
    case 'SRV': {
      const [priority, weight, port, target] = data.split(' ');
      const head = Buffer.alloc(6);
      head.writeUInt16BE(Number(priority), 0);
      head.writeUInt16BE(Number(weight), 2);
      head.writeUInt16BE(Number(port), 4);
      return Buffer.concat([head, encodeName(target)]);
    }
    case 'SOA': {
      const [mname, rname, ...numbers] = data.split(' ');
      const tail = Buffer.alloc(20);
      numbers.slice(0, 5).forEach((n, i) => tail.writeUInt32BE(Number(n) >>> 0, i * 4));
      return Buffer.concat([encodeName(mname), encodeName(rname), tail]);
    }
    default:
      return Buffer.alloc(0);
  }
}

/** Asks the forward nameserver one question; resolves with its rcode and raw answer records. */
function ask(name, qtype) {
  return new Promise((resolve) => {
    if (!forwardTo) return resolve({ rcode: 3, answers: [] });
    const socket = dgram.createSocket('udp4');
    const header = Buffer.from([0x4e, 0x50, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    const question = Buffer.concat([encodeName(name), Buffer.from([0, qtype, 0, 1])]);
    const timer = setTimeout(() => done({ rcode: 2, answers: [] }), 2000);
    const done = (result) => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    socket.on('message', (msg) => {
      const count = msg.readUInt16BE(6);
      let offset = readName(msg, 12).end + 4;
      const answers = [];
      for (let i = 0; i < count; i++) {
        const start = offset;
        const end = readName(msg, offset).end;
        const length = msg.readUInt16BE(end + 8);
        offset = end + 10 + length;
        answers.push(msg.subarray(start, offset));
      }
      done({ rcode: msg[3] & 0x0f, answers });
    });
    socket.on('error', () => done({ rcode: 2, answers: [] }));
    socket.send(Buffer.concat([header, question]), 53, forwardTo);
  });
}

function record(owner, r) {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(TYPES[r.type], 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(r.ttl >>> 0, 4);
  const body = rdata(r.type, r.data);
  head.writeUInt16BE(body.length, 8);
  return Buffer.concat([encodeName(owner), head, body]);
}

/** The answer records and rcode for one question, following CNAMEs (into the forward server when they leave the zones). */
async function resolve(qname, qtype) {
  const answers = [];
  let name = canonical(qname);
  for (let depth = 0; depth < 8; depth++) {
    if (!inZone(name)) {
      const upstream = await ask(name, qtype);
      return { rcode: upstream.rcode, answers: [...answers, ...upstream.answers] };
    }
    const owned = records.get(name);
    if (!owned) return { rcode: parents && hasChildren(name) ? 0 : 3, answers };
    const exact = owned.filter((r) => TYPES[r.type] === qtype);
    if (exact.length)
      return { rcode: 0, answers: [...answers, ...exact.map((r) => record(name, r))] };
    const cname = owned.find((r) => r.type === 'CNAME');
    if (!cname) return { rcode: 0, answers };
    answers.push(record(name, cname));
    name = canonical(cname.data);
  }
  return { rcode: 2, answers };
}

const socket = dgram.createSocket('udp4');
socket.on('message', async (query, peer) => {
  // Stamped on arrival: the next question may reach the other CoreDNS pod before this one logs.
  const arrived = process.hrtime.bigint();
  if (query.length < 17) return;
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const { rcode, answers } = await resolve(name, qtype);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header[2] = 0x84 | (query[2] & 0x01);
  header[3] = 0x80 | rcode;
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  socket.send(
    Buffer.concat([header, query.subarray(12, end + 4), ...answers]),
    peer.port,
    peer.address,
  );
  if (log)
    fs.appendFileSync(
      log,
      `${arrived} ${canonical(name)} ${TYPE_NAMES[qtype] ?? qtype} ${RCODES[rcode] ?? rcode}\n`,
    );
});
socket.bind(53, args.get('--listen') ?? '0.0.0.0', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
