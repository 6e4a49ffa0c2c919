// Who gets the engine pool's next free thread. Tasks wait here, in their tenant's own line, rather
// than in the pool's single queue: free threads go to the tenants with waiting tasks in turn
// (round-robin), and no tenant holds more than `maxPerTenant` threads at once, so a tenant that
// sends many heavy tasks queues behind itself and another tenant's task finds a thread within one
// task of it (docs/architecture.md, "Isolation between tenants").

/** Ends a task's hold on its thread: call exactly once, when the task has finished. */
export type ReleaseThread = () => void;

interface Waiting {
  grant: (release: ReleaseThread) => void;
}

export class TenantAdmission {
  private running = 0;
  private readonly runningByTenant = new Map<string, number>();
  /** Tenants with waiting tasks, in turn order: the next turn is the first entry that may start. */
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(
    readonly threads: number,
    readonly maxPerTenant: number,
  ) {
    if (threads < 1 || maxPerTenant < 1)
      throw new RangeError('threads and maxPerTenant must be at least 1');
  }

  /** Resolves once the tenant's task may take a thread; the task releases it when done. */
  admit(tenant: string): Promise<ReleaseThread> {
    return new Promise((grant) => {
      const line = this.waiting.get(tenant);
      if (line) line.push({ grant });
      else this.waiting.set(tenant, [{ grant }]);
      this.dispatch();
    });
  }

  /** Tasks holding a thread, per tenant (tenants holding none are left out). */
  runningTasks(): ReadonlyMap<string, number> {
    return this.runningByTenant;
  }

  waitingTasks(): number {
    let count = 0;
    for (const line of this.waiting.values()) count += line.length;
    return count;
  }

  private dispatch(): void {
    while (this.running < this.threads) {
      const tenant = this.nextTurn();
      if (tenant === undefined) return;
      const line = this.waiting.get(tenant) ?? [];
      const next = line.shift();
      // The tenant goes to the back of the turn order, or leaves it with nothing left to wait for.
      this.waiting.delete(tenant);
      if (line.length > 0) this.waiting.set(tenant, line);
      if (next) next.grant(this.hold(tenant));
    }
  }

  private nextTurn(): string | undefined {
    for (const tenant of this.waiting.keys())
      if ((this.runningByTenant.get(tenant) ?? 0) < this.maxPerTenant) return tenant;
    return undefined;
  }

  private hold(tenant: string): ReleaseThread {
    this.running += 1;
    this.runningByTenant.set(tenant, (this.runningByTenant.get(tenant) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      const left = (this.runningByTenant.get(tenant) ?? 1) - 1;
      if (left > 0) this.runningByTenant.set(tenant, left);
      else this.runningByTenant.delete(tenant);
      this.dispatch();
    };
  }
}
