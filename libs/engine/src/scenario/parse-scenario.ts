import type { EngineIssue, IssueCode } from '../model/issues';
import { parseKindDocument } from '../manifests/parse-kind-document';
import { STEP_ACTIONS, type Step } from './scenario-types';
import { DEFAULT_LIMITS, type InputLimits } from '../manifests/manifest-set';

/** A manifest entry of a scenario file: inline YAML, or a path the caller reads (relative to the scenario file). */
export type ManifestSource = { inline: string } | { path: string };

export interface ScenarioDocument {
  name: string;
  manifests: ManifestSource[];
  steps: Step[];
}

const API_VERSION = 'netplay.dev/v1alpha1';
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const DNS_TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT'];
const NODE_ACTIONS = ['cordon', 'uncordon', 'failNode', 'recoverNode'];

/**
 * Reads a `kind: Scenario` file. Pure: paths are returned, not read. Any problem is an issue with
 * the field path, and the scenario is null when there is an error.
 */
export function parseScenario(yamlText: string): {
  scenario: ScenarioDocument | null;
  issues: EngineIssue[];
} {
  const issues: EngineIssue[] = [];
  const problem = (path: string, message: string, code: IssueCode = 'INVALID_FIELD') =>
    issues.push({ severity: 'error', code, path, message, object: 'Scenario' });
  const doc = parseKindDocument(
    yamlText,
    { apiVersion: API_VERSION, kind: 'Scenario', described: 'a scenario' },
    problem,
  );
  if (!doc) return { scenario: null, issues };
  const name =
    isRecord(doc.metadata) && typeof doc.metadata.name === 'string'
      ? doc.metadata.name
      : 'scenario';
  const spec = isRecord(doc.spec) ? doc.spec : {};
  if (!isRecord(doc.spec)) problem('spec', 'is required', 'MISSING_FIELD');
  const manifests = readManifestSources(spec.manifests, problem);
  const steps =
    spec.steps === undefined ? [] : readStepList(spec.steps, 'spec.steps', problem, STEP_LIMITS);
  return { scenario: issues.length ? null : { name, manifests, steps }, issues };
}

/**
 * Reads a list of steps that is already data (a JSON request body, a stored run), with the checks
 * `parseScenario` applies to `spec.steps`, without a round trip through YAML text. Issues name the
 * field from `path` on (`steps[2].probe.to`) and carry `object`; the steps are null when there is an
 * error. The input is not modified: normalised steps are copies.
 */
export function readScenarioSteps(
  raw: unknown,
  options: {
    path?: string;
    object?: string;
    limits?: Partial<Pick<InputLimits, 'maxSteps' | 'maxReplicas'>>;
  } = {},
): { steps: Step[] | null; issues: EngineIssue[] } {
  const issues: EngineIssue[] = [];
  const object = options.object ?? 'Scenario';
  const problem = (path: string, message: string, code: IssueCode = 'INVALID_FIELD') =>
    issues.push({ severity: 'error', code, path, message, object });
  const steps = readStepList(raw, options.path ?? 'steps', problem, {
    ...STEP_LIMITS,
    ...options.limits,
  });
  return { steps: issues.length ? null : steps, issues };
}

type StepLimits = Pick<InputLimits, 'maxSteps' | 'maxReplicas'>;

const STEP_LIMITS: StepLimits = {
  maxSteps: DEFAULT_LIMITS.maxSteps,
  maxReplicas: DEFAULT_LIMITS.maxReplicas,
};

function readStepList(raw: unknown, path: string, problem: Problem, limits: StepLimits): Step[] {
  if (!Array.isArray(raw)) {
    problem(path, 'must be a list');
    return [];
  }
  if (raw.length > limits.maxSteps) {
    problem(
      path,
      `must hold at most ${limits.maxSteps} steps, got ${raw.length}`,
      'LIMIT_EXCEEDED',
    );
    return [];
  }
  const steps: Step[] = [];
  raw.forEach((entry, i) => {
    const step = readStep(entry, `${path}[${i}]`, problem, limits);
    if (step) steps.push(step);
  });
  return steps;
}

type Problem = (path: string, message: string, code?: IssueCode) => void;

function readManifestSources(raw: unknown, problem: Problem): ManifestSource[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problem('spec.manifests', 'must be a list of inline YAML strings or {path: file}');
    return [];
  }
  const out: ManifestSource[] = [];
  raw.forEach((entry, i) => {
    if (typeof entry === 'string') out.push({ inline: entry });
    else if (isRecord(entry) && typeof entry.path === 'string' && entry.path)
      out.push({ path: entry.path });
    else problem(`spec.manifests[${i}]`, 'must be an inline YAML string or {path: file}');
  });
  return out;
}

function readStep(raw: unknown, path: string, problem: Problem, limits: StepLimits): Step | null {
  if (!isRecord(raw)) {
    problem(path, 'a step must be a mapping', 'NOT_AN_OBJECT');
    return null;
  }
  const actions = Object.keys(raw).filter((k) => k !== 'name');
  const unknown = actions.filter((k) => !(STEP_ACTIONS as readonly string[]).includes(k));
  if (unknown.length) {
    problem(`${path}.${unknown[0]}`, `unknown step action (known: ${STEP_ACTIONS.join(', ')})`);
    return null;
  }
  if (actions.length !== 1) {
    problem(
      path,
      `a step needs exactly one action, found ${actions.length ? actions.join(', ') : 'none'}`,
      'MISSING_FIELD',
    );
    return null;
  }
  if (raw.name !== undefined && typeof raw.name !== 'string')
    problem(`${path}.name`, 'must be a string');
  const action = actions[0];
  // A copy: checking normalises some fields (a probe's protocol), and the caller's data stays as it was.
  const body = isRecord(raw[action]) ? { ...raw[action] } : raw[action];
  const at = `${path}.${action}`;
  let found = 0;
  checkBody(action, body, at, limits, (p, m, c) => {
    found++;
    problem(p, m, c);
  });
  return found ? null : ({ ...raw, [action]: body } as Step);
}

function checkBody(
  action: string,
  body: unknown,
  at: string,
  limits: StepLimits,
  problem: Problem,
): void {
  if (NODE_ACTIONS.includes(action)) {
    if (typeof body !== 'string' || !body) problem(at, 'must be a node name');
    return;
  }
  if (action === 'apply' || action === 'deleteManifest') {
    if (typeof body !== 'string' || !body.trim()) problem(at, 'must be a YAML manifest string');
    return;
  }
  if (!isRecord(body)) {
    problem(at, 'must be a mapping', 'NOT_AN_OBJECT');
    return;
  }
  const requireString = (field: string) => {
    if (typeof body[field] !== 'string' || !body[field])
      problem(`${at}.${field}`, 'is required (a string)', 'MISSING_FIELD');
  };
  const optionalEnum = (field: string, allowed: string[]) => {
    if (body[field] !== undefined && !allowed.includes(String(body[field])))
      problem(`${at}.${field}`, `must be one of ${allowed.join(', ')}`);
  };
  switch (action) {
    case 'probe':
      requireString('from');
      requireString('to');
      if (typeof body.protocol === 'string') body.protocol = body.protocol.toUpperCase();
      optionalEnum('protocol', PROTOCOLS);
      break;
    case 'dns':
      requireString('from');
      requireString('name');
      optionalEnum('type', DNS_TYPES);
      break;
    case 'get':
      requireString('kind');
      optionalEnum('output', ['wide', 'json', 'yaml']);
      break;
    case 'scale': {
      const targets = ['deployment', 'statefulset'].filter((k) => body[k] !== undefined);
      if (targets.length !== 1)
        problem(at, 'needs exactly one of deployment, statefulset', 'MISSING_FIELD');
      else requireString(targets[0]);
      if (!Number.isInteger(body.replicas) || (body.replicas as number) < 0)
        problem(`${at}.replicas`, 'must be an integer ≥ 0');
      else if ((body.replicas as number) > limits.maxReplicas)
        problem(
          `${at}.replicas`,
          `${body.replicas as number} is more than the limit of ${limits.maxReplicas} replicas per workload`,
          'LIMIT_EXCEEDED',
        );
      break;
    }
    case 'delete': {
      const targets = ['pod', 'service', 'deployment', 'statefulset', 'daemonset'].filter(
        (k) => body[k] !== undefined,
      );
      if (targets.length !== 1)
        problem(
          at,
          'needs exactly one of pod, service, deployment, statefulset, daemonset',
          'MISSING_FIELD',
        );
      else requireString(targets[0]);
      break;
    }
    case 'setReady':
      requireString('pod');
      if (typeof body.ready !== 'boolean') problem(`${at}.ready`, 'must be true or false');
      break;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
