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
  revisions(id: string): Promise<SandboxRevision[]>;
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
    revisions: async (id) =>
      (await call<{ items: SandboxRevision[] }>('GET', `${sandboxPath(id)}/revisions`)).items,
    view: (id, kind, params = {}) =>
      callText(
        `${sandboxPath(id)}/views/${encodeURIComponent(kind)}?${new URLSearchParams(params)}`,
      ),
    submitRun: (sandboxId, steps, wait = false) =>
      call('POST', `${sandboxPath(sandboxId)}/runs${wait ? '?wait=true' : ''}`, { steps }),
    getRun: (id, wait = false) =>
      call('GET', `/v1/runs/${encodeURIComponent(id)}${wait ? '?wait=true' : ''}`),
    listExercises: async () => (await call<Page<Exercise>>('GET', '/v1/exercises')).items,
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
