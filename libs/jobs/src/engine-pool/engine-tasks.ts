// The engine's units of work as data, and what runs them: the same function serves a worker
// thread of the pool (engine-thread.ts) and a caller that runs the engine inline (tests, the CLI).
// Tasks and answers cross the thread boundary by structured clone: plain data, strings for large
// results (a run's result is serialised once here, where it is stored from, not in the caller).
import {
  formatIssue,
  getView,
  loadCluster,
  runSteps,
  type EngineIssue,
  type InputLimits,
  type LoadResult,
  type ManifestFile,
  type Step,
  type ViewOptions,
  type ClusterState,
} from '@netplay/engine';
import { stringify } from 'yaml';
import {
  exerciseDigest,
  gradeSubmission,
  readExercise,
  validateExercise,
  type Exercise,
  type ExerciseDigest,
  type ExerciseIssue,
  type ManifestSubmission,
} from '@netplay/grading';

/** Results larger than this (serialised) are refused: they would be stored, sent and rendered. */
export const DEFAULT_MAX_RESULT_BYTES = 8 * 1024 * 1024;

export interface ValidateTask {
  kind: 'validate';
  files: ManifestFile[];
  limits?: Partial<InputLimits>;
}

export interface ValidateAnswer {
  kind: 'validate';
  /** False when an error was found: the cluster would not load. */
  loads: boolean;
  issues: EngineIssue[];
}

export interface ViewTask {
  kind: 'view';
  /** Names the cluster for the thread's cache: the same key must always mean the same files. */
  cacheKey: string;
  files: ManifestFile[];
  view: string;
  options: ViewOptions;
  limits?: Partial<InputLimits>;
  maxResultBytes?: number;
}

export type ViewAnswer =
  | { kind: 'view'; loads: true; text: string; issues: EngineIssue[] }
  | { kind: 'view'; loads: false; issues: EngineIssue[] };

export interface ScenarioTask {
  kind: 'scenario';
  /** Revisions are immutable: the thread keeps the loaded cluster under this id. */
  revisionId: string;
  /**
   * The revision's files. Left out, the thread answers `revision-unknown` unless it has the
   * revision loaded: a revision's text crosses to a thread only when that thread lacks it.
   */
  files?: ManifestFile[];
  steps: Step[];
  limits?: Partial<InputLimits>;
  maxResultBytes?: number;
}

export type ScenarioAnswer =
  | { kind: 'scenario'; status: 'succeeded'; resultJson: string; small: boolean }
  | { kind: 'scenario'; status: 'failed'; error: string; resultJson?: string; small?: boolean }
  /** The task came without files and this thread has not loaded the revision: send them. */
  | { kind: 'scenario'; status: 'revision-unknown' };

/**
 * A loaded cluster at most this large is "small": a few reading steps on it are bounded work
 * (a probe walks its Services, EndpointSlices and policies), so a caller may run them inline
 * (ScenarioEngine). Counted: nodes, namespaces, pods, Services, EndpointSlices, workloads and
 * every other stored object (policies, Ingresses …).
 */
export const SMALL_CLUSTER_MAX_OBJECTS = 200;

export function isSmallCluster(state: ClusterState): boolean {
  const objects =
    state.nodes.size +
    state.namespaces.size +
    state.pods.size +
    state.services.size +
    state.endpointSlices.size +
    state.deployments.size +
    state.replicaSets.size +
    state.replicationControllers.size +
    state.statefulSets.size +
    state.daemonSets.size +
    state.objects.length;
  return objects <= SMALL_CLUSTER_MAX_OBJECTS;
}

/** Grades a submission: the exercise's setup and the learner's manifests, then its checks. */
export interface GradeTask {
  kind: 'grade';
  /** The exercise as stored (YAML). */
  exerciseYaml: string;
  submission: ManifestSubmission;
}

export type GradeAnswer =
  /** The result as plain JSON (undefined fields dropped), ready to store. */
  | { kind: 'grade'; status: 'graded'; score: number; maxScore: number; result: unknown }
  /** The stored exercise no longer reads: nothing to grade against. */
  | { kind: 'grade'; status: 'exercise-unreadable' };

/**
 * Reads an exercise and validates it as publishing does: its reference solution must pass and its
 * starting sandbox must not (the engine runs both), every check must read.
 */
export interface ExerciseTask {
  kind: 'exercise';
  yaml: string;
}

export interface ExerciseAnswer {
  kind: 'exercise';
  /** Null when the YAML does not read as an exercise. */
  exercise: Exercise | null;
  /** Reading issues, then validation's (only when it read). */
  issues: ExerciseIssue[];
  /** What its views need, stored with it when it is published; null when it did not read. */
  digest: ExerciseDigest | null;
}

/** The digest of an exercise stored before digests were (read, not validated again). */
export interface ExerciseDigestTask {
  kind: 'exercise-digest';
  yaml: string;
}

export interface ExerciseDigestAnswer {
  kind: 'exercise-digest';
  /** Null when the stored YAML no longer reads as an exercise. */
  digest: ExerciseDigest | null;
}

/**
 * Manifests sent as a JSON array of objects, as the YAML text they are stored as: writing 1.5 MiB
 * of objects as YAML costs about half a second, too long for the API's thread.
 */
export interface YamlTextTask {
  kind: 'yaml-text';
  objects: Record<string, unknown>[];
}

export interface YamlTextAnswer {
  kind: 'yaml-text';
  text: string;
}

export type EngineTask =
  | ValidateTask
  | ViewTask
  | ScenarioTask
  | GradeTask
  | ExerciseTask
  | ExerciseDigestTask
  | YamlTextTask;
export type EngineAnswer =
  | ValidateAnswer
  | ViewAnswer
  | ScenarioAnswer
  | GradeAnswer
  | ExerciseAnswer
  | ExerciseDigestAnswer
  | YamlTextAnswer;
/** The answer of each task kind. */
export type AnswerOf<T extends EngineTask> = Extract<EngineAnswer, { kind: T['kind'] }>;

/** Error text of a run whose serialised result is over the cap (docs/reliability.md). */
export const RESULT_TOO_LARGE_PREFIX = 'engine-result-too-large';

/** Loaded clusters by key, least recently used first out. */
export class LoadedClusters {
  private readonly entries = new Map<string, LoadResult>();

  constructor(private readonly capacity = 32) {}

  /** The loaded cluster under this key, if this cache has it (and marks it recently used). */
  get(key: string): LoadResult | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  load(key: string, files: ManifestFile[], limits?: Partial<InputLimits>): LoadResult {
    const hit = this.get(key);
    if (hit) return hit;
    const loaded = loadCluster(files, { limits });
    this.entries.set(key, loaded);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return loaded;
  }
}

/** Runs one task. Never throws for anything the input can cause: problems are in the answer. */
export function runEngineTask<T extends EngineTask>(
  task: T,
  clusters: LoadedClusters,
): AnswerOf<T> {
  return answer(task, clusters) as AnswerOf<T>;
}

function answer(task: EngineTask, clusters: LoadedClusters): EngineAnswer {
  switch (task.kind) {
    case 'validate': {
      const loaded = loadCluster(task.files, { limits: task.limits });
      return { kind: 'validate', loads: loaded.state !== null, issues: loaded.issues };
    }
    case 'view': {
      const loaded = clusters.load(`view:${task.cacheKey}`, task.files, task.limits);
      if (!loaded.state) return { kind: 'view', loads: false, issues: loaded.issues };
      const view = getView(loaded.state, task.view, task.options);
      const cap = task.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
      if (view.text.length > cap)
        return {
          kind: 'view',
          loads: true,
          text: '',
          issues: [tooLargeIssue(view.text.length, cap)],
        };
      return { kind: 'view', loads: true, text: view.text, issues: view.issues };
    }
    case 'scenario':
      return scenario(task, clusters);
    case 'grade':
      return grade(task);
    case 'exercise': {
      const read = readExercise(task.yaml);
      const issues = read.exercise
        ? [...read.issues, ...validateExercise(read.exercise)]
        : read.issues;
      const digest = read.exercise ? exerciseDigest(read.exercise, task.yaml) : null;
      return { kind: 'exercise', exercise: read.exercise, issues, digest };
    }
    case 'exercise-digest': {
      const exercise = readExercise(task.yaml).exercise;
      return { kind: 'exercise-digest', digest: exercise && exerciseDigest(exercise, task.yaml) };
    }
    case 'yaml-text':
      return { kind: 'yaml-text', text: task.objects.map((item) => stringify(item)).join('---\n') };
  }
}

function grade(task: GradeTask): GradeAnswer {
  const read = readExercise(task.exerciseYaml);
  if (!read.exercise) return { kind: 'grade', status: 'exercise-unreadable' };
  const result = gradeSubmission(read.exercise, task.submission);
  return {
    kind: 'grade',
    status: 'graded',
    score: result.score,
    maxScore: result.maxScore,
    result: JSON.parse(JSON.stringify(result)) as unknown,
  };
}

function scenario(task: ScenarioTask, clusters: LoadedClusters): ScenarioAnswer {
  const key = `revision:${task.revisionId}`;
  const loaded = task.files ? clusters.load(key, task.files, task.limits) : clusters.get(key);
  if (!loaded) return { kind: 'scenario', status: 'revision-unknown' };
  if (!loaded.state) {
    const errors = loaded.issues.filter((issue) => issue.severity === 'error');
    return {
      kind: 'scenario',
      status: 'failed',
      error: (errors.length ? errors : loaded.issues).map(formatIssue).join('\n'),
      resultJson: JSON.stringify({ issues: loaded.issues, steps: [] }),
    };
  }
  const steps = runSteps(loaded.state, task.steps, task.limits);
  const resultJson = JSON.stringify({ issues: loaded.issues, steps });
  const cap = task.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  // String length counts UTF-16 units: for the mostly-ASCII traces, close to the stored bytes.
  const small = isSmallCluster(loaded.state);
  if (resultJson.length > cap)
    return {
      kind: 'scenario',
      status: 'failed',
      error: tooLargeIssue(resultJson.length, cap).message,
      small,
    };
  return { kind: 'scenario', status: 'succeeded', resultJson, small };
}

function tooLargeIssue(size: number, cap: number): EngineIssue {
  return {
    severity: 'error',
    code: 'LIMIT_EXCEEDED',
    message: `${RESULT_TOO_LARGE_PREFIX}: the result is ${mib(size)}; the limit is ${mib(cap)}`,
  };
}

function mib(chars: number): string {
  return `${(chars / 2 ** 20).toFixed(1)} MiB`;
}
