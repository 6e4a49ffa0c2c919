// The engine as the scenario job sees it: a run's revision and steps in, its outcome and result
// text out. Three measured tricks live here and nowhere else (docs/architecture.md, "The engine
// pool"):
// - the revisions' text is kept in this process (revisions are immutable), so a run of a revision
//   seen before reads no revision row;
// - the text crosses to a pool thread only when that thread lacks the revision (it answers
//   `revision-unknown` and the task is sent again with the files);
// - a quick run (a few reading steps) of a revision the pool found small runs inline: its work is
//   bounded by the cluster's size, and a pool round trip cost more than the run itself.
import type { InputLimits, ManifestFile, Step } from '@netplay/engine';
import { isReadingStep } from '@netplay/engine';
import type { SandboxRevisionRecord } from '@netplay/db';
import { revisionManifests } from '../scenario-run-input';
import { EngineBudgetExceededError } from './engine-pool';
import {
  LoadedClusters,
  runEngineTask,
  type AnswerOf,
  type EngineTask,
  type ScenarioAnswer,
  type ScenarioTask,
} from './engine-tasks';

/** Runs an engine task somewhere: the pool (EnginePool), or inline. */
export interface EngineTaskRunner {
  /** `tenant`: whose task it is (the pool gives tenants its threads in turn). */
  run<T extends EngineTask>(task: T, options?: { tenant?: string }): Promise<AnswerOf<T>>;
}

export interface ScenarioEngineOptions {
  /** The pool of threads with a budget; without it every run is inline (tests, tools). */
  pool?: EngineTaskRunner;
  /** The engine's input limits for hosted runs (the engine's defaults otherwise). */
  limits?: Partial<InputLimits>;
  /** Revisions whose text is kept (least recently used out first). */
  revisionCapacity?: number;
  /**
   * Quick runs of small revisions run on the calling thread (default true: a worker's thread does
   * nothing else). The API's embedded mode sets false: its thread answers requests, and engine work
   * never runs there, however small.
   */
  inlineQuickRuns?: boolean;
}

export interface RevisionReader {
  getRevisionForWorker(id: string): Promise<SandboxRevisionRecord | undefined>;
}

/** What the engine made of a run. Never a thrown error for anything the input can cause. */
export interface SimulatedRun {
  status: 'succeeded' | 'failed';
  /** Why it failed; absent when it succeeded. */
  error?: string;
  /** The result as stored (`{issues, steps}`), serialised once by the engine; null if none. */
  resultJson: string | null;
  /** The run's sandbox, when its revision was found. */
  sandboxId?: string;
}

/** More steps than this, and a run is not quick: it announces 'running' before its engine starts. */
export const QUICK_RUN_MAX_STEPS = 10;

/** A revision whose text is longer runs in the pool even when its cluster is small (parse time). */
export const INLINE_MAX_TEXT_CHARS = 64 * 1024;

export const MISSING_REVISION_ERROR = 'internal: the sandbox revision of this run no longer exists';
export const ENGINE_CRASH_ERROR_PREFIX = 'internal: the engine failed';

interface KnownRevision {
  sandboxId: string;
  files: ManifestFile[];
  textChars: number;
  /** Set once a pool thread loaded it and found the cluster small. */
  small: boolean;
}

export class ScenarioEngine {
  private readonly revisions = new Map<string, KnownRevision>();
  /** The clusters of small revisions, loaded on this thread for their quick runs. */
  private readonly inline = new LoadedClusters(64);
  private readonly capacity: number;

  constructor(private readonly options: ScenarioEngineOptions = {}) {
    this.capacity = options.revisionCapacity ?? 256;
  }

  /**
   * A quick run lasts milliseconds: a few reading steps (probes, DNS lookups, views) on a revision
   * this process has run before. Its 'running' can go out with its outcome.
   */
  isQuick(revisionId: string, steps: readonly Step[]): boolean {
    return (
      this.revisions.has(revisionId) &&
      steps.length <= QUICK_RUN_MAX_STEPS &&
      steps.every(isReadingStep)
    );
  }

  /**
   * Runs the steps on the revision's cluster. Rejects only when reading the revision fails (a
   * retry can fix that); a run over the pool's budget, or one the engine throws on, is a failed run.
   */
  async simulate(
    tenantId: string,
    revisionId: string,
    steps: Step[],
    reader: RevisionReader,
  ): Promise<SimulatedRun> {
    const revision = await this.revision(revisionId, reader);
    if (!revision) return { status: 'failed', error: MISSING_REVISION_ERROR, resultJson: null };
    const task: ScenarioTask = {
      kind: 'scenario',
      revisionId,
      steps,
      ...(this.options.limits ? { limits: this.options.limits } : {}),
    };
    const { sandboxId } = revision;
    try {
      const answer = await this.answer(tenantId, task, revision);
      if (answer.status === 'revision-unknown')
        throw new Error('the engine thread lost the revision it was sent');
      if (answer.small && revision.textChars <= INLINE_MAX_TEXT_CHARS) revision.small = true;
      return answer.status === 'succeeded'
        ? { status: 'succeeded', resultJson: answer.resultJson, sandboxId }
        : {
            status: 'failed',
            error: answer.error,
            resultJson: answer.resultJson ?? null,
            sandboxId,
          };
    } catch (error) {
      // The engine is deterministic: the same input would fail the same way on every retry.
      const message =
        error instanceof EngineBudgetExceededError
          ? error.message
          : `${ENGINE_CRASH_ERROR_PREFIX}: ${error instanceof Error ? error.message : String(error)}`;
      return { status: 'failed', error: message, resultJson: null, sandboxId };
    }
  }

  private async answer(
    tenant: string,
    task: ScenarioTask,
    revision: KnownRevision,
  ): Promise<ScenarioAnswer> {
    const { pool } = this.options;
    const inline =
      !pool ||
      (this.options.inlineQuickRuns !== false &&
        revision.small &&
        this.isQuick(task.revisionId, task.steps));
    if (inline) return runEngineTask({ ...task, files: revision.files }, this.inline);
    const answer = await pool.run(task, { tenant });
    if (answer.status !== 'revision-unknown') return answer;
    return pool.run({ ...task, files: revision.files }, { tenant });
  }

  private async revision(
    revisionId: string,
    reader: RevisionReader,
  ): Promise<KnownRevision | undefined> {
    const hit = this.revisions.get(revisionId);
    if (hit) {
      this.revisions.delete(revisionId);
      this.revisions.set(revisionId, hit);
      return hit;
    }
    // Outside the engine's try: a database error must reach the queue (a retry), not fail the run.
    const row = await reader.getRevisionForWorker(revisionId);
    if (!row) return undefined;
    const files = revisionManifests(row);
    const known: KnownRevision = {
      sandboxId: row.sandboxId,
      files,
      textChars: files.reduce((sum, file) => sum + file.content.length, 0),
      small: false,
    };
    this.revisions.set(revisionId, known);
    while (this.revisions.size > this.capacity) {
      const oldest = this.revisions.keys().next().value;
      if (oldest === undefined) break;
      this.revisions.delete(oldest);
    }
    return known;
  }
}
