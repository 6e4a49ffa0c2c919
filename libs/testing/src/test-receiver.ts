// A programmable HTTP receiver on loopback for tests: answers each request with the next scripted
// response (the last one repeats) and records what it received, raw body included.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export type RequestHandler = (request: ReceivedRequest) => ScriptedResponse;

/** Listens on `host` (127.0.0.1 by default; Linux routes all of 127/8 to loopback). */
export async function startTestReceiver(
  script: ScriptedResponse[] | RequestHandler,
  host = '127.0.0.1',
): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const response =
        typeof script === 'function'
          ? script(received)
          : script[Math.min(requests.length - 1, script.length - 1)];
      res.writeHead(response.status, response.headers ?? {});
      res.end(response.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/hooks`,
    port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
