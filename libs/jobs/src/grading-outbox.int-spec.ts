// Submissions travel like runs: the submission and its `submission.grade` outbox event commit
// together, the relay carries the event to the grading queue (job id = submission id), and the
// reconciler puts back a job Redis lost. Real PostgreSQL and Redis; skipped, saying why, without them.
import { backendSkipReason, TEST_BACKENDS } from '@netplay/testing';
import {
  ExerciseRepository,
  OutboxRepository,
  TenantRepository,
  type PrismaClient,
} from '@netplay/db';
import { BullmqJobQueue, reconcileSubmissions, relayGradingOutbox } from '@netplay/queue';
import { QUEUE_NAMES } from '@netplay/contracts';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleSubmissionGrade } from './handle-submission-grade';

jest.setTimeout(60_000);

const REDIS_URL = process.env.REDIS_URL;
const postgres = TEST_BACKENDS.find((backend) => backend.name === 'postgres');
if (!postgres) throw new Error('the postgres test backend is defined');
const skip =
  backendSkipReason('postgres') ??
  (REDIS_URL ? undefined : 'skipped: REDIS_URL is not set (CI sets it)');
const title = 'the submission outbox on PostgreSQL + BullMQ';

const EXERCISES_DIR = join(__dirname, '../../../exercises');
const EXERCISE_FILE =
  readdirSync(EXERCISES_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()[0] ?? '';
const EXERCISE_YAML = readFileSync(join(EXERCISES_DIR, EXERCISE_FILE), 'utf8');

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

(skip ? describe.skip : describe)(skip ? `${title} (${skip})` : title, () => {
  let prisma: PrismaClient;
  let closeDatabase: () => Promise<void>;
  let exercises: ExerciseRepository;
  let outbox: OutboxRepository;
  let prefix: string;
  const opened: BullmqJobQueue<'grade-submission'>[] = [];

  beforeAll(async () => {
    const database = await postgres.open();
    prisma = database.handle.prisma;
    closeDatabase = database.cleanup;
    exercises = new ExerciseRepository(prisma);
    outbox = new OutboxRepository(database.handle);
  });
  afterAll(() => closeDatabase?.());
  beforeEach(() => {
    prefix = `netplay-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
    const raw = rawGradingQueue();
    await raw.obliterate({ force: true });
    await raw.close();
  });

  async function openQueue(): Promise<BullmqJobQueue<'grade-submission'>> {
    const queue = await BullmqJobQueue.connect('grade-submission', {
      redisUrl: REDIS_URL ?? '',
      prefix,
    });
    opened.push(queue);
    return queue;
  }

  function rawGradingQueue(): Queue {
    return new Queue(QUEUE_NAMES.grading, { connection: { url: REDIS_URL ?? '' }, prefix });
  }

  async function newExercise() {
    const tenant = await new TenantRepository(prisma).create(
      `grading-outbox-${randomBytes(3).toString('hex')}`,
    );
    return exercises.upsert(tenant.id, {
      slug: 'web-and-client',
      title: 'Exercise',
      instructions: '',
      yaml: EXERCISE_YAML,
      validated: true,
    });
  }

  async function submit() {
    return exercises.createSubmission(await newExercise(), {
      learnerRef: 'learner-1',
      manifests: '',
      mode: 'patch',
    });
  }

  async function undispatchedEventsOf(submissionId: string): Promise<number> {
    return prisma.outboxEvent.count({ where: { submissionId, dispatchedAt: null } });
  }

  it('grades a submission accepted while the grading queue was unreachable once the relay reaches a working queue', async () => {
    const submission = await submit();
    const unreachable = await BullmqJobQueue.connect('grade-submission', {
      redisUrl: REDIS_URL ?? '',
      prefix,
    });
    await unreachable.close();

    const failed = await relayGradingOutbox(outbox, unreachable);
    expect(failed.error).toBeDefined();
    expect(await undispatchedEventsOf(submission.id)).toBe(1);

    const queue = await openQueue();
    const graded = new Promise<void>((resolve, reject) => {
      queue.consume(async ({ payload: { submissionId } }) => {
        const outcome = await handleSubmissionGrade(
          { exercises, publishGraded: async () => undefined },
          submissionId,
        );
        if (submissionId === submission.id && outcome.kind === 'graded') resolve();
        else reject(new Error(`unexpected outcome ${outcome.kind} for ${submissionId}`));
      });
    });
    expect((await relayGradingOutbox(outbox, queue)).dispatched).toBeGreaterThanOrEqual(1);
    await withTimeout(graded, 20_000, 'the grading job');
    expect((await exercises.getSubmissionForWorker(submission.id))?.status).toBe('graded');
    expect(await undispatchedEventsOf(submission.id)).toBe(0);
  });

  it('leaves neither the submission nor its outbox event when the transaction fails after the insert', async () => {
    const exercise = await newExercise();
    // A real failure inside the transaction, after the submission row is written.
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION refuse_outbox() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$ LANGUAGE plpgsql`,
    );
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox_event FOR EACH ROW EXECUTE FUNCTION refuse_outbox()`,
    );
    try {
      await expect(
        exercises.createSubmission(exercise, {
          learnerRef: 'learner-2',
          manifests: '',
          mode: 'patch',
        }),
      ).rejects.toThrow(/outbox refused/);
    } finally {
      await prisma.$executeRawUnsafe('DROP TRIGGER refuse_outbox ON outbox_event');
      await prisma.$executeRawUnsafe('DROP FUNCTION refuse_outbox()');
    }
    expect(await prisma.submission.count({ where: { exerciseId: exercise.id } })).toBe(0);
    expect(
      await prisma.outboxEvent.count({ where: { submission: { exerciseId: exercise.id } } }),
    ).toBe(0);
  });

  it('refuses an outbox event that names no target', async () => {
    await expect(
      prisma.$executeRawUnsafe(
        `INSERT INTO outbox_event (kind, payload) VALUES ('submission.grade', '{}')`,
      ),
    ).rejects.toThrow(/outbox_event_one_target/);
  });

  it('re-enqueues a queued submission whose job vanished from Redis', async () => {
    const submission = await submit();
    const queue = await openQueue();
    await relayGradingOutbox(outbox, queue);
    expect(await queue.getJobState(submission.id)).toBe('waiting');
    const raw = rawGradingQueue();
    await raw.remove(submission.id);
    await raw.close();
    expect(await queue.getJobState(submission.id)).toBe('missing');

    const report = await reconcileSubmissions(exercises, queue, {
      minAgeMs: 0,
      now: new Date(Date.now() + 1_000),
    });
    expect(report.reenqueued).toContain(submission.id);
    expect(await queue.getJobState(submission.id)).toBe('waiting');
  });

  it('leaves a submission alone while its job is still in the queue', async () => {
    const submission = await submit();
    const queue = await openQueue();
    await relayGradingOutbox(outbox, queue);
    const report = await reconcileSubmissions(exercises, queue, {
      minAgeMs: 0,
      now: new Date(Date.now() + 1_000),
    });
    expect(report.reenqueued).not.toContain(submission.id);
  });

  it('never enqueues a submission twice, even when its event is relayed again after a lost commit', async () => {
    const submission = await submit();
    const queue = await openQueue();
    await relayGradingOutbox(outbox, queue);
    expect(await relayGradingOutbox(outbox, queue)).toMatchObject({ dispatched: 0 });
    // The commit marking the event dispatched was lost: the relay sends it again.
    await prisma.outboxEvent.updateMany({
      where: { submissionId: submission.id },
      data: { dispatchedAt: null },
    });
    expect((await relayGradingOutbox(outbox, queue)).dispatched).toBeGreaterThanOrEqual(1);

    const raw = rawGradingQueue();
    const counts = await raw.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
    await raw.close();
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(1);
  });
});
