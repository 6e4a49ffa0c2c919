import { parseKindDocument } from '@netplay/engine';
import {
  EXERCISE_API_VERSION,
  type Exercise,
  type ExerciseCheck,
  type ExerciseIssue,
  type ExerciseIssueCode,
  type ManifestSubmission,
} from './exercise-types';
import { isRecord, readCheck } from './read-check';

const SPEC_FIELDS = [
  'title',
  'instructions',
  'startingManifests',
  'cluster',
  'checks',
  'referenceSolution',
];

/**
 * Reads a `kind: Exercise` document (YAML or JSON text). Every problem is an issue with the field
 * path; the exercise is null when there is any error. Manifests are kept as text: they are only
 * checked when the exercise is validated (validateExercise) or graded.
 */
export function readExercise(yamlText: string): {
  exercise: Exercise | null;
  issues: ExerciseIssue[];
} {
  const issues: ExerciseIssue[] = [];
  const problem = (path: string, message: string, code: ExerciseIssueCode = 'INVALID_FIELD') =>
    issues.push({ severity: 'error', code, path, message });
  const doc = parseKindDocument(
    yamlText,
    { apiVersion: EXERCISE_API_VERSION, kind: 'Exercise', described: 'an exercise' },
    problem,
  );
  if (!doc) return { exercise: null, issues };
  const name =
    isRecord(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : undefined;
  if (!name) problem('metadata.name', 'is required (the exercise id)', 'MISSING_FIELD');
  if (!isRecord(doc.spec)) {
    problem('spec', 'is required', 'MISSING_FIELD');
    return { exercise: null, issues };
  }
  const spec = doc.spec;
  for (const key of Object.keys(spec))
    if (!SPEC_FIELDS.includes(key))
      problem(`spec.${key}`, `unknown field (known: ${SPEC_FIELDS.join(', ')})`);
  const text = (field: string, required: boolean): string => {
    const value = spec[field];
    if (value === undefined && !required) return '';
    if (typeof value !== 'string' || !value.trim())
      problem(
        `spec.${field}`,
        value === undefined ? 'is required (a string)' : 'must be a non-empty string',
        value === undefined ? 'MISSING_FIELD' : 'INVALID_FIELD',
      );
    return typeof value === 'string' ? value : '';
  };
  const title = text('title', true);
  const instructions = text('instructions', true);
  const startingManifests =
    typeof spec.startingManifests === 'string' ? spec.startingManifests : '';
  if (spec.startingManifests !== undefined && typeof spec.startingManifests !== 'string')
    problem('spec.startingManifests', 'must be multi-document YAML text (use a `|` block)');
  const cluster = readClusterSettings(spec.cluster, problem);
  const checks = readChecks(spec.checks, issues);
  const referenceSolution =
    spec.referenceSolution === undefined
      ? undefined
      : readManifestSubmission(spec.referenceSolution, 'spec.referenceSolution', problem);
  if (issues.some((i) => i.severity === 'error') || !name) return { exercise: null, issues };
  return {
    exercise: {
      name,
      title,
      instructions,
      startingManifests,
      ...(cluster ? { cluster } : {}),
      checks,
      ...(referenceSolution ? { referenceSolution } : {}),
    },
    issues,
  };
}

/** `cluster:` is the spec of a `kind: Cluster` document; a whole Cluster document is accepted too. */
function readClusterSettings(
  raw: unknown,
  problem: (path: string, message: string) => void,
): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    problem(
      'spec.cluster',
      'must be a mapping: the spec of a Cluster document (nodes, cni, kubeProxy, ingressControllers …)',
    );
    return undefined;
  }
  if (raw.kind === undefined) return raw;
  if (raw.kind !== 'Cluster')
    problem('spec.cluster.kind', 'must be Cluster (or leave kind out and give the Cluster spec)');
  return isRecord(raw.spec) ? raw.spec : {};
}

function readChecks(raw: unknown, issues: ExerciseIssue[]): ExerciseCheck[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    issues.push({
      severity: 'error',
      code: raw === undefined ? 'MISSING_FIELD' : 'INVALID_FIELD',
      path: 'spec.checks',
      message: 'must be a non-empty list of checks',
    });
    return [];
  }
  const checks: ExerciseCheck[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const check = readCheck(entry, `spec.checks[${i}]`, (issue) => issues.push(issue));
    if (!check) return;
    if (seen.has(check.id))
      issues.push({
        severity: 'error',
        code: 'DUPLICATE_CHECK_ID',
        path: `spec.checks[${i}].id`,
        check: check.id,
        message: `check id "${check.id}" is used twice`,
      });
    seen.add(check.id);
    checks.push(check);
  });
  return checks;
}

/** `{mode: full|patch, manifests: |…}`; mode defaults to full. */
export function readManifestSubmission(
  raw: unknown,
  path: string,
  problem: (path: string, message: string, code?: ExerciseIssueCode) => void,
): ManifestSubmission | undefined {
  if (!isRecord(raw)) {
    problem(path, 'must be {mode: full|patch, manifests: <YAML text>}', 'NOT_AN_OBJECT');
    return undefined;
  }
  for (const key of Object.keys(raw))
    if (key !== 'mode' && key !== 'manifests')
      problem(`${path}.${key}`, 'unknown field (known: mode, manifests)');
  const mode = raw.mode ?? 'full';
  if (mode !== 'full' && mode !== 'patch')
    problem(`${path}.mode`, `must be full or patch, got ${JSON.stringify(mode)}`);
  if (typeof raw.manifests !== 'string') {
    problem(
      `${path}.manifests`,
      'is required: multi-document YAML text (use a `|` block)',
      raw.manifests === undefined ? 'MISSING_FIELD' : 'INVALID_FIELD',
    );
    return undefined;
  }
  if (mode !== 'full' && mode !== 'patch') return undefined;
  return { mode, manifests: raw.manifests };
}
