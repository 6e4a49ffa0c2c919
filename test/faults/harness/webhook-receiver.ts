// A programmable webhook receiver for the fault suite: each path (one per endpoint a test
// registers) behaves as told — answer at once, slowly, with a 500 or a 410, redirect, or never
// answer — and every request is recorded with its arrival time, `webhook-id` and body. The same
// server doubles as the SSRF canary: listening on an address the guard must refuse, any request
// it records is a failure.
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'fail'; status: number }
  | { kind: 'gone' }
  | { kind: 'redirect'; location: string }
  /** Reads the request and never answers (the sender's response timeout must end it). */
  | { kind: 'hang' };

export interface ReceivedWebhook {
  path: string;
  receivedAt: number;
  webhookId: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  /** `data.runId` of a `run.completed` body, when it is one. */
  runId?: string;
}

export class WebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(host: string): Promise<WebhookReceiver> {
    // Requests arrive only once the server listens, after `receiver` exists.
    const server = http.createServer((req, res) => receiver.handle(req, res));
    // Hanging requests must not hold the server open at the end.
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
    const receiver = new WebhookReceiver(server, host, (server.address() as AddressInfo).port);
    return receiver;
  }

  /** The URL of `path` on this receiver, answering as `behaviour` says until told otherwise. */
  endpoint(path: string, behaviour: Behaviour = { kind: 'ok' }): string {
    this.behaviours.set(path, behaviour);
    return `http://${this.host}:${this.port}${path}`;
  }

  behave(path: string, behaviour: Behaviour): void {
    this.behaviours.set(path, behaviour);
  }

  received(path: string): ReceivedWebhook[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: http.IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['webhook-id'];
      this.requests.push({
        path,
        receivedAt: Date.now(),
        webhookId: Array.isArray(header) ? header[0] : header,
        headers: req.headers,
        body,
        runId: runIdOf(body),
      });
      const behaviour = this.behaviours.get(path) ?? { kind: 'fail', status: 404 };
      switch (behaviour.kind) {
        case 'ok':
          res.writeHead(204).end();
          return;
        case 'slow': {
          const timer = setTimeout(() => res.writeHead(204).end(), behaviour.delayMs);
          res.once('close', () => clearTimeout(timer));
          return;
        }
        case 'fail':
          res.writeHead(behaviour.status).end('failing on purpose');
          return;
        case 'gone':
          res.writeHead(410).end('gone');
          return;
        case 'redirect':
          res.writeHead(302, { location: behaviour.location }).end();
          return;
        case 'hang':
          this.hanging.add(res);
          res.once('close', () => this.hanging.delete(res));
          return;
      }
    });
  }
}

function runIdOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { data?: { runId?: unknown } };
    return typeof parsed.data?.runId === 'string' ? parsed.data.runId : undefined;
  } catch {
    return undefined;
  }
}
