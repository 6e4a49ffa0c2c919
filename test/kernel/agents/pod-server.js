// A pod's application in the kernel lane: answers every TCP connection and UDP datagram on the
// given ports with "<pod> <source address the server saw>", and on UDP port 53 speaks enough DNS
// to serve the cluster's records (A, from `get dns-records`) plus `whoami.netplay.` (TXT with the
// same answer), so the same process is the CoreDNS stand-in. Prints "ready" once every socket is
// bound. Plain JavaScript: it starts in a few milliseconds inside `ip netns exec`.
'use strict';
const net = require('node:net');
const dgram = require('node:dgram');
const fs = require('node:fs');

const [name, portList, recordsFile] = process.argv.slice(2);
const records = new Map();
if (recordsFile) {
  for (const line of fs.readFileSync(recordsFile, 'utf8').split('\n')) {
    const [owner, , , type, data] = line.trim().split(/\s+/);
    if (type !== 'A' || !owner) continue;
    const key = owner.toLowerCase();
    records.set(key, [...(records.get(key) ?? []), data]);
  }
}

function readName(buf, offset) {
  const labels = [];
  while (buf[offset] !== 0) {
    const len = buf[offset];
    labels.push(buf.subarray(offset + 1, offset + 1 + len).toString('latin1'));
    offset += len + 1;
  }
  return { name: `${labels.join('.')}.`, end: offset + 1 };
}

function dnsAnswer(query, from) {
  const { name: qname, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const answers = [];
  const lower = qname.toLowerCase();
  if (lower === 'whoami.netplay.' && qtype === 16) {
    const text = Buffer.from(`${name} ${from} 53`, 'latin1');
    const rdata = Buffer.concat([Buffer.from([text.length]), text]);
    answers.push({ type: 16, rdata });
  } else if (qtype === 1) {
    for (const ip of records.get(lower) ?? [])
      answers.push({ type: 1, rdata: Buffer.from(ip.split('.').map(Number)) });
  }
  const known = records.has(lower) || lower === 'whoami.netplay.';
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // QR, opcode 0, AA, RD copied; RA; rcode NXDOMAIN when the name is unknown.
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x80 | (known ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const parts = [header, question];
  for (const a of answers) {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(a.type, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(30, 6);
    rr.writeUInt16BE(a.rdata.length, 10);
    parts.push(rr, a.rdata);
  }
  return Buffer.concat(parts);
}

let pending = 0;
const bound = () => {
  if (--pending === 0) process.stdout.write('ready\n');
};
for (const spec of portList.split(',').filter(Boolean)) {
  const [port, protocol] = spec.split('/');
  pending++;
  if (protocol === 'UDP') {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      const reply =
        Number(port) === 53 && msg.length > 12
          ? dnsAnswer(msg, rinfo.address)
          : Buffer.from(`${name} ${rinfo.address} ${port}\n`);
      socket.send(reply, rinfo.port, rinfo.address);
    });
    socket.bind(Number(port), '0.0.0.0', bound);
  } else {
    const server = net.createServer((conn) => {
      conn.end(`${name} ${conn.remoteAddress} ${conn.localPort}\n`);
      conn.on('error', () => {});
    });
    server.listen(Number(port), '0.0.0.0', bound);
  }
}
if (pending === 0) process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
