import { parseListenPorts } from './listen-ports';

describe('the netplay.dev/listen-ports annotation', () => {
  it.each([
    ['any', { mode: 'any', extra: [] }],
    [' declared ', { mode: 'declared', extra: [] }],
    [
      '8080, 5353/udp,9000/SCTP',
      {
        mode: 'declared',
        extra: [
          { port: 8080, protocol: 'TCP' },
          { port: 5353, protocol: 'UDP' },
          { port: 9000, protocol: 'SCTP' },
        ],
      },
    ],
    ['', null],
    ['all', null],
    ['0', null],
    ['70000', null],
    ['80,', null],
    ['80/ICMP', null],
  ])('%j', (value, expected) => {
    expect(parseListenPorts(value)).toEqual(expected);
  });
});
