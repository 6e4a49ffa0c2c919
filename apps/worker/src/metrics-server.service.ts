// Optional Prometheus endpoint (WORKER_METRICS_PORT): a worker has no HTTP API, so a bare
// node:http server serves `/metrics`, and `/healthz` for liveness probes.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { WorkerMetrics } from './worker-metrics';

@Injectable()
export class MetricsServerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly metrics: WorkerMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort === undefined) return;
    const server = createServer((request, response) => {
      if (request.url === '/metrics') {
        this.metrics.registry
          .metrics()
          .then((body) =>
            response
              .writeHead(200, { 'content-type': this.metrics.registry.contentType })
              .end(body),
          )
          .catch(() => response.writeHead(500).end());
      } else if (request.url === '/healthz') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.metricsPort, '0.0.0.0', () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on :${(server.address() as AddressInfo).port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
