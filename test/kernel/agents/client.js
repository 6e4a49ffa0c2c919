// The client side of the kernel lane: reads a JSON list of probes on stdin, opens `count`
// connections (TCP) or sends `count` datagrams from fresh sockets (UDP) for each, `parallel` at a
// time, and prints one JSON line: per probe, the outcome of every attempt — `answered` with the
// answering pod and the source address it saw, `refused` (RST or ICMP port unreachable), or
// `timeout` after `timeoutMs` (a DROP). UDP to port 53 asks `whoami.netplay.` over DNS.
'use strict';
const net = require('node:net');
const dgram = require('node:dgram');

function whoamiQuery() {
  const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const qname = Buffer.from([6, ...Buffer.from('whoami'), 7, ...Buffer.from('netplay'), 0]);
  return Buffer.concat([header, qname, Buffer.from([0, 16, 0, 1])]);
}

/** The TXT string of the first answer: after the header, the echoed question and the RR header. */
function firstTxt(reply) {
  let offset = 12;
  while (reply[offset] !== 0) offset += reply[offset] + 1;
  offset += 1 + 4 + 12;
  const len = reply[offset];
  return reply.subarray(offset + 1, offset + 1 + len).toString('latin1');
}

function tcpAttempt(p) {
  return new Promise((resolve) => {
    let data = '';
    const socket = net.connect({ host: p.ip, port: p.port, localAddress: p.localAddress });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ outcome: 'timeout' });
    }, p.timeoutMs);
    socket.on('data', (d) => (data += d));
    socket.on('end', () => {
      clearTimeout(timer);
      const [pod, seen, port] = data.trim().split(' ');
      resolve({ outcome: 'answered', pod, seen, port: Number(port) });
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      resolve({ outcome: err.code === 'ECONNREFUSED' ? 'refused' : 'timeout', error: err.code });
    });
  });
}

function udpAttempt(p) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const finish = (result) => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), p.timeoutMs);
    socket.on('message', (msg) => {
      const text = p.port === 53 ? firstTxt(msg) : msg.toString().trim();
      const [pod, seen, port] = text.split(' ');
      finish({ outcome: 'answered', pod, seen, port: Number(port) });
    });
    socket.on('error', (err) =>
      finish({ outcome: err.code === 'ECONNREFUSED' ? 'refused' : 'timeout', error: err.code }),
    );
    socket.bind({ address: p.localAddress ?? '0.0.0.0', port: 0 }, () => {
      socket.connect(p.port, p.ip, () =>
        socket.send(p.port === 53 ? whoamiQuery() : Buffer.from('hello\n')),
      );
    });
  });
}

async function run(p) {
  const attempts = [];
  let next = 0;
  const worker = async () => {
    while (next < p.count) {
      next++;
      attempts.push(await (p.protocol === 'UDP' ? udpAttempt(p) : tcpAttempt(p)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(p.parallel ?? 8, p.count) }, worker));
  return attempts;
}

let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', async () => {
  const probes = JSON.parse(input);
  const results = await Promise.all(probes.map(run));
  process.stdout.write(`${JSON.stringify(results)}\n`);
});
