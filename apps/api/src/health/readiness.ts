// Whether this process still wants traffic. After SIGTERM it does not: /readyz answers 503 so the
// load balancer (a Kubernetes Service's endpoints) stops sending new requests while the ones in
// flight finish (docs/deploy.md, "Rolling updates").
import { Injectable } from '@nestjs/common';

@Injectable()
export class Readiness {
  private drainingSince: Date | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(now: Date = new Date()): void {
    this.drainingSince ??= now;
  }
}
