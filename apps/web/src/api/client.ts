/**
 * A small typed client over the public REST API. The page depends on the `NetplayClient`
 * interface only, so the generated `@netplay/sdk` can replace `restClient` without touching a
 * screen. The bearer token is whatever the caller was given: a tenant API key pasted on the
 * sign-in screen, or a token minted for an embedded page.
 */
import type {
  ApiErrorBody,
  ClusterSettings,
  Exercise,
  LearnerScores,
  Page,
  Run,
  Sandbox,
  SandboxRevision,
  SandboxRevisionSummary,
  SandboxWrite,
  Submission,
} from './types';

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

export interface ScenarioStep {
  name?: string;
  probe?: { from: string; to: string; protocol?: string; host?: string };
  dns?: { from: string; name: string };
}

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
}

/** Bounds the pages a listing reads, so a sandbox with endless revisions cannot hold the page. */
const MAX_PAGES = 10;

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export function restClient(
  token: string,
  baseUrl = '',
  fetchImpl: FetchLike = fetch,
): NetplayClient {
  async function call<T>(method: string, path: string, body?: unknown, headers = {}): Promise<T> {
    const response = await fetchImpl(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw errorFrom(response.status, parsed);
    return parsed as T;
  }
  async function callText(path: string): Promise<string> {
    const response = await fetchImpl(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'text/plain' },
    });
    const text = await response.text();
    if (!response.ok) throw errorFrom(response.status, text ? safeJson(text) : undefined);
    return text;
  }
  const sandboxPath = (id: string) => `/v1/sandboxes/${encodeURIComponent(id)}`;
  return {
    token,
    listSandboxes: (name) =>
      call('GET', `/v1/sandboxes?limit=100${name ? `&name=${encodeURIComponent(name)}` : ''}`),
    getSandbox: (id) => call('GET', sandboxPath(id)),
    async createSandbox(input) {
      const { warnings, ...sandbox } = await call<Sandbox & { warnings: SandboxWrite['warnings'] }>(
        'POST',
        '/v1/sandboxes',
        input,
      );
      return { sandbox, warnings: warnings ?? [] };
    },
    async saveSandbox(id, version, manifests) {
      const { warnings, ...sandbox } = await call<
        Sandbox & { warnings?: SandboxWrite['warnings'] }
      >('PATCH', sandboxPath(id), { manifests }, { 'If-Match': `"${version}"` });
      return { sandbox, warnings: warnings ?? [] };
    },
    async revisions(id) {
      const all: SandboxRevisionSummary[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
        const answer = await call<Page<SandboxRevisionSummary>>(
          'GET',
          `${sandboxPath(id)}/revisions?${query}`,
        );
        all.push(...answer.items);
        cursor = answer.nextCursor;
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
        const query = new URLSearchParams({
          limit: '20',
          include: 'manifests',
          ...(cursor ? { cursor } : {}),
        });
        const answer = await call<Page<SandboxRevision>>(
          'GET',
          `${sandboxPath(id)}/revisions?${query}`,
        );
        for (const revision of answer.items)
          if (wanted.delete(revision.version)) found.push(revision);
        if (answer.items.some((r) => r.version < Math.min(...versions))) break;
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
      return found;
    },
    view: (id, kind, params = {}) =>
      callText(
        `${sandboxPath(id)}/views/${encodeURIComponent(kind)}?${new URLSearchParams(params)}`,
      ),
    submitRun: (sandboxId, steps, wait = false) =>
      call('POST', `${sandboxPath(sandboxId)}/runs${wait ? '?wait=true' : ''}`, { steps }),
    getRun: (id, wait = false) =>
      call('GET', `/v1/runs/${encodeURIComponent(id)}${wait ? '?wait=true' : ''}`),
    listExercises: async () => (await call<Page<Exercise>>('GET', '/v1/exercises?limit=100')).items,
    getExercise: (id) => call('GET', `/v1/exercises/${encodeURIComponent(id)}`),
    submit: (exerciseId, learnerRef, manifests) =>
      call('POST', `/v1/exercises/${encodeURIComponent(exerciseId)}/submissions`, {
        learnerRef,
        manifests,
        mode: 'full',
      }),
    getSubmission: (id) => call('GET', `/v1/submissions/${encodeURIComponent(id)}`),
    scores: (exerciseId, learnerRef) =>
      call(
        'GET',
        `/v1/exercises/${encodeURIComponent(exerciseId)}/learners/${encodeURIComponent(learnerRef)}/scores`,
      ),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFrom(status: number, body: unknown): ApiRequestError {
  const error = (body as ApiErrorBody | undefined)?.error;
  if (error && typeof error.code === 'string')
    return new ApiRequestError(status, error.code, error.message, error.details);
  return new ApiRequestError(status, 'http-error', `the API answered ${status}`);
}
