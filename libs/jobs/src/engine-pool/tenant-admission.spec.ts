import { TenantAdmission, type ReleaseThread } from './tenant-admission';

/** Records the order in which tasks are let onto a thread; each holds it until released. */
class Recorder {
  readonly started: string[] = [];
  private readonly holds = new Map<string, ReleaseThread>();

  constructor(private readonly admission: TenantAdmission) {}

  /** Task `name` of `tenant` asks for a thread. */
  submit(tenant: string, name: string): void {
    void this.admission.admit(tenant).then((release) => {
      this.started.push(name);
      this.holds.set(name, release);
    });
  }

  finish(name: string): void {
    const release = this.holds.get(name);
    if (!release) throw new Error(`${name} holds no thread`);
    this.holds.delete(name);
    release();
  }
}

/** Lets the admissions granted so far run their continuations. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TenantAdmission', () => {
  it("queues a busy tenant's tasks behind its own, so another tenant's task takes the next thread", async () => {
    const recorder = new Recorder(new TenantAdmission(2, 1));
    for (const name of ['a1', 'a2', 'a3', 'a4']) recorder.submit('attacker', name);
    recorder.submit('victim', 'v1');
    await settle();
    // One thread per tenant at most while the other waits: a1 and the victim's task, not a1 and a2.
    expect(recorder.started).toEqual(['a1', 'v1']);

    recorder.finish('a1');
    await settle();
    expect(recorder.started).toEqual(['a1', 'v1', 'a2']);
  });

  it('never lets one tenant hold every thread, even alone', async () => {
    const admission = new TenantAdmission(3, 2);
    const recorder = new Recorder(admission);
    for (const name of ['a1', 'a2', 'a3']) recorder.submit('attacker', name);
    await settle();
    expect(recorder.started).toEqual(['a1', 'a2']);
    expect(admission.waitingTasks()).toBe(1);

    recorder.submit('victim', 'v1');
    await settle();
    expect(recorder.started).toEqual(['a1', 'a2', 'v1']);
    expect(Object.fromEntries(admission.runningTasks())).toEqual({ attacker: 2, victim: 1 });
  });

  it('gives free threads to waiting tenants in turn (round-robin), each in its own order', async () => {
    const recorder = new Recorder(new TenantAdmission(1, 1));
    recorder.submit('a', 'a1');
    await settle();
    for (const name of ['a2', 'a3', 'a4']) recorder.submit('a', name);
    for (const name of ['b1', 'b2']) recorder.submit('b', name);
    recorder.submit('c', 'c1');

    for (const name of ['a1', 'a2', 'b1', 'c1', 'a3', 'b2']) {
      await settle();
      recorder.finish(name);
    }
    await settle();
    expect(recorder.started).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'b2', 'a4']);
  });

  it('fills every thread when the waiting tenants may take them', async () => {
    const admission = new TenantAdmission(4, 3);
    const recorder = new Recorder(admission);
    for (const name of ['a1', 'a2', 'b1', 'b2']) recorder.submit(name[0] ?? '', name);
    await settle();
    expect(recorder.started).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(admission.waitingTasks()).toBe(0);
  });

  it('counts a released thread once, however often its release is called', async () => {
    const admission = new TenantAdmission(1, 1);
    const release = await admission.admit('a');
    release();
    release();
    const next = await admission.admit('b');
    const recorder = new Recorder(admission);
    recorder.submit('c', 'c1');
    await settle();
    expect(recorder.started).toEqual([]);
    next();
    await settle();
    expect(recorder.started).toEqual(['c1']);
  });
});
