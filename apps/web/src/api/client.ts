/**
 * The page's REST client: the typed `@netplay/sdk` (generated from the API's OpenAPI document) behind
 * the small `NetplayClient` interface the screens use. Every path, parameter and body is checked
 * against the document at compile time; answers are read into the page's types (./types.ts). The
 * bearer token is whatever the caller was given: a tenant API key pasted on the sign-in screen, a
 * learner session's token, or a share link's.
 */
import { createNetplayClient, type FetchResult, type Schemas } from '@netplay/sdk';
import type {
  ClusterSettings,
  Exercise,
  ExerciseResults,
  GradeResult,
  LearnerScores,
  LearnerSession,
  Page,
  Run,
  Sandbox,
  SandboxRevision,
  SandboxRevisionSummary,
  SandboxWrite,
  SharedRevision,
  ShareLink,
  Submission,
} from './types';
import type { EngineIssue } from '@netplay/engine';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** One scenario step as the API takes it (a probe, a DNS lookup, a change…). */
export type ScenarioStep = Schemas['Step'];

export interface NetplayClient {
  /** The bearer token the client sends (a subscription passes it in its connection parameters). */
  readonly token: string;
  listSandboxes(name?: string): Promise<Page<Sandbox>>;
  getSandbox(id: string): Promise<Sandbox>;
  createSandbox(input: {
    name: string;
    description?: string;
    manifests: string;
    clusterSettings?: ClusterSettings;
  }): Promise<SandboxWrite>;
  /** Writes a revision; `version` is the one the page read (If-Match), a 409 names the current one. */
  saveSandbox(id: string, version: number, manifests: string): Promise<SandboxWrite>;
  /** Every revision without its manifests, newest first (paged through, at most `MAX_PAGES`). */
  revisions(id: string): Promise<SandboxRevisionSummary[]>;
  /** The named revisions with their manifests; a version that does not exist is left out. */
  revisionsWithManifests(id: string, versions: number[]): Promise<SandboxRevision[]>;
  view(id: string, kind: string, params?: Record<string, string>): Promise<string>;
  /** Submits a run; with `wait` the answer holds it until finished (up to the server's limit). */
  submitRun(sandboxId: string, steps: ScenarioStep[], wait?: boolean): Promise<Run>;
  getRun(id: string, wait?: boolean): Promise<Run>;
  listExercises(): Promise<Exercise[]>;
  getExercise(id: string): Promise<Exercise>;
  submit(exerciseId: string, learnerRef: string, manifests: string): Promise<Submission>;
  getSubmission(id: string): Promise<Submission>;
  scores(exerciseId: string, learnerRef: string): Promise<LearnerScores>;
  /**
   * One page of the learners' results of the exercise, `cursor` the previous page's `nextCursor`
   * (instructors and tenant keys; a learner gets 403).
   */
  results(exerciseId: string, cursor?: string): Promise<ExerciseResults>;
  /** The learner session the token belongs to (a tenant API key answers 404). */
  currentLearnerSession(): Promise<LearnerSession>;
  /** A read-only link to one revision, for anyone holding it (no key needed). */
  createShareLink(sandboxId: string, version: number): Promise<ShareLink>;
  /** With a share link's token: the one revision it reads. */
  sharedRevision(): Promise<SharedRevision>;
}

/** A share link's token (`nsh_…`): it reads one revision and nothing else. */
export function isShareToken(token: string): boolean {
  return token.startsWith('nsh_');
}

/** A learner session's token (`nls_…`), as opposed to a tenant API key (`np_…`). */
export function isLearnerToken(token: string): boolean {
  return token.startsWith('nls_');
}

/** Bounds the pages a listing reads, so a sandbox with endless revisions cannot hold the page. */
const MAX_PAGES = 10;
/** Learners per page of an exercise's results (the API's largest page). */
export const RESULTS_PAGE_SIZE = 100;

type FetchLike = (input: Request) => Promise<Response>;

/**
 * `baseUrl` is where the API is; the page's own origin by default (the API serves the page).
 * `fetchImpl` replaces the browser's fetch in tests.
 */
export function restClient(
  token: string,
  baseUrl = globalThis.location?.origin ?? '',
  fetchImpl?: FetchLike,
): NetplayClient {
  const sdk = createNetplayClient({
    baseUrl,
    apiKey: token,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  const path = (id: string) => ({ path: { id } });
  return {
    token,
    listSandboxes: async (name) => {
      const page = answer(
        await sdk.GET('/v1/sandboxes', {
          params: { query: { limit: 100, ...(name ? { name } : {}) } },
        }),
      );
      return { ...page, items: page.items.map(toSandbox) };
    },
    getSandbox: async (id) =>
      toSandbox(answer(await sdk.GET('/v1/sandboxes/{id}', { params: path(id) }))),
    createSandbox: async (input) =>
      toWrite(answer(await sdk.POST('/v1/sandboxes', { body: input }))),
    saveSandbox: async (id, version, manifests) =>
      toWrite(
        answer(
          await sdk.PATCH('/v1/sandboxes/{id}', {
            params: { ...path(id), header: { 'If-Match': `"${version}"` } },
            body: { manifests },
          }),
        ),
      ),
    async revisions(id) {
      const all: SandboxRevisionSummary[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const listed = answer(
          await sdk.GET('/v1/sandboxes/{id}/revisions', {
            params: { ...path(id), query: { limit: 100, ...(cursor ? { cursor } : {}) } },
          }),
        );
        all.push(...listed.items.map(toRevisionSummary));
        cursor = listed.nextCursor;
        if (!cursor) break;
      }
      return all;
    },
    // The list is newest first and carries manifests only when asked: small pages are read until
    // every wanted version was seen (the versions a page asks for are nearly always recent).
    async revisionsWithManifests(id, versions) {
      const wanted = new Set(versions);
      const found: SandboxRevision[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES * 5 && wanted.size > 0; page++) {
        const listed = answer(
          await sdk.GET('/v1/sandboxes/{id}/revisions', {
            params: {
              ...path(id),
              query: { limit: 20, include: 'manifests', ...(cursor ? { cursor } : {}) },
            },
          }),
        );
        for (const revision of listed.items)
          if (wanted.delete(revision.version))
            found.push({ ...toRevisionSummary(revision), manifests: revision.manifests ?? '' });
        if (listed.items.some((r) => r.version < Math.min(...versions))) break;
        cursor = listed.nextCursor;
        if (!cursor) break;
      }
      return found;
    },
    view: async (id, kind, params = {}) =>
      answer(
        await sdk.GET('/v1/sandboxes/{id}/views/{kind}', {
          params: { path: { id, kind }, query: { ...params, format: 'text' } },
          parseAs: 'text',
        }),
      ),
    submitRun: async (sandboxId, steps, wait = false) =>
      toRun(
        answer(
          await sdk.POST('/v1/sandboxes/{id}/runs', {
            params: {
              ...path(sandboxId),
              query: { format: 'json', ...(wait ? { wait: 'true' } : {}) },
            },
            body: { steps },
          }),
        ),
      ),
    getRun: async (id, wait = false) =>
      toRun(
        answer(
          await sdk.GET('/v1/runs/{id}', {
            params: { ...path(id), query: { format: 'json', ...(wait ? { wait: 'true' } : {}) } },
          }),
        ),
      ),
    listExercises: async () =>
      answer(await sdk.GET('/v1/exercises', { params: { query: { limit: 100 } } })).items.map(
        toExercise,
      ),
    getExercise: async (id) =>
      toExercise(answer(await sdk.GET('/v1/exercises/{id}', { params: path(id) }))),
    submit: async (exerciseId, learnerRef, manifests) =>
      toSubmission(
        answer(
          await sdk.POST('/v1/exercises/{id}/submissions', {
            params: path(exerciseId),
            body: { learnerRef, manifests, mode: 'full' },
          }),
        ),
      ),
    getSubmission: async (id) =>
      toSubmission(answer(await sdk.GET('/v1/submissions/{id}', { params: path(id) }))),
    scores: async (exerciseId, learnerRef) => {
      const scores = answer(
        await sdk.GET('/v1/exercises/{id}/learners/{learnerRef}/scores', {
          params: { path: { id: exerciseId, learnerRef } },
        }),
      );
      return {
        best: scores.best ? toSubmission(scores.best) : null,
        latest: scores.latest ? toSubmission(scores.latest) : null,
      };
    },
    results: async (exerciseId, cursor) =>
      answer(
        await sdk.GET('/v1/exercises/{id}/results', {
          params: { path: { id: exerciseId }, query: { limit: RESULTS_PAGE_SIZE, cursor } },
        }),
      ),
    currentLearnerSession: async () => answer(await sdk.GET('/v1/learner-sessions/current')),
    createShareLink: async (sandboxId, version) =>
      answer(
        await sdk.POST('/v1/sandboxes/{id}/revisions/{version}/share-links', {
          params: { path: { id: sandboxId, version } },
          body: {},
        }),
      ),
    sharedRevision: async () => answer(await sdk.GET('/v1/shared-revision')),
  };
}

/** The answer's data, or an ApiRequestError with the API's error code and details. */
function answer<Data>(result: FetchResult<Data>): Data {
  if (result.error === undefined && result.response.ok) return result.data as Data;
  const error = (result.error as Partial<Schemas['Error']> | undefined)?.error;
  if (error && typeof error.code === 'string')
    throw new ApiRequestError(result.response.status, error.code, error.message, error.details);
  throw new ApiRequestError(
    result.response.status,
    'http-error',
    `the API answered ${result.response.status}`,
  );
}

// The OpenAPI document describes some fields more loosely than the page reads them: a sandbox's
// description is absent rather than null, a listing leaves the manifests out, and traces and grades
// are the engine's and the grading library's own objects (docs/api.md), which the page's types name.

function toSandbox(sandbox: Schemas['SandboxView']): Sandbox {
  return {
    id: sandbox.id,
    name: sandbox.name,
    description: sandbox.description ?? null,
    manifests: sandbox.manifests ?? '',
    clusterSettings: sandbox.clusterSettings,
    version: sandbox.version,
    createdAt: sandbox.createdAt,
    updatedAt: sandbox.updatedAt,
  };
}

function toWrite({ warnings, ...sandbox }: Schemas['SandboxWriteView']): SandboxWrite {
  return { sandbox: toSandbox(sandbox), warnings: (warnings ?? []) as EngineIssue[] };
}

function toRevisionSummary(revision: Schemas['SandboxRevisionView']): SandboxRevisionSummary {
  return {
    version: revision.version,
    clusterSettings: revision.clusterSettings,
    createdAt: revision.createdAt,
  };
}

function toRun(run: Schemas['Run'] | Schemas['RunWithResult']): Run {
  return {
    id: run.id,
    status: run.status,
    sandboxId: run.sandboxId ?? '',
    sandboxVersion: run.sandboxVersion ?? 0,
    error: run.error,
    result: 'result' in run && run.result ? (run.result as unknown as Run['result']) : null,
  };
}

function toExercise(exercise: Schemas['Exercise']): Exercise {
  return {
    id: exercise.id,
    slug: exercise.slug,
    title: exercise.title,
    instructions: exercise.instructions,
    yaml: exercise.yaml ?? '',
    validated: exercise.validated,
    checks: exercise.checks,
  };
}

function toSubmission(submission: Schemas['Submission']): Submission {
  return {
    id: submission.id,
    exerciseId: submission.exerciseId,
    learnerRef: submission.learnerRef,
    status: submission.status,
    score: submission.score,
    maxScore: submission.maxScore,
    result: submission.result as GradeResult | null,
    createdAt: submission.createdAt,
  };
}
