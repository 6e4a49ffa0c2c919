// A submission's grade as JSON Schema: the OpenAPI components and the GraphQL types of a grade are
// generated from these (libs/grading's GradeResult and LearnerGradeView). A check that probed or
// looked a name up carries the trace that decided, typed by the engine's trace schema.
import { componentRef } from './trace-components';

export const CHECK_RESULT_SCHEMA = {
  type: 'object',
  required: ['id', 'title', 'passed', 'points', 'awarded', 'hidden', 'reason'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    passed: { type: 'boolean' },
    points: { type: 'number' },
    awarded: { type: 'number' },
    hint: { type: 'string', description: 'Only when the check failed' },
    hidden: { type: 'boolean' },
    reason: { type: 'string', description: 'What was expected and what happened' },
    trace: {
      description: 'The probe or lookup that decided, for probe and dns checks',
      oneOf: [componentRef('ProbeTrace'), componentRef('DnsTrace')],
    },
  },
};

export const HIDDEN_CHECKS_SCHEMA = {
  type: 'object',
  description: 'The learner view: hidden checks as counts and points',
  required: ['count', 'passed', 'points', 'awarded'],
  properties: {
    count: { type: 'integer' },
    passed: { type: 'integer' },
    points: { type: 'number' },
    awarded: { type: 'number' },
  },
};

/** A grade, or (status failed) only `error`: every field but those two kinds' own is optional. */
export const SUBMISSION_GRADE_SCHEMA = {
  type: 'object',
  description:
    'The grade (with view=learner hidden checks are reduced to `hiddenChecks`), or only `error` when grading failed',
  properties: {
    score: { type: 'number' },
    maxScore: { type: 'number' },
    passed: { type: 'boolean' },
    checks: { type: 'array', items: componentRef('CheckResult') },
    summary: { type: 'string' },
    problems: {
      type: 'array',
      items: { type: 'string' },
      description: 'Why the manifests did not load',
    },
    hiddenChecks: componentRef('HiddenChecks'),
    error: { type: 'string', description: 'Why grading failed' },
  },
};

export function gradeComponents(): Record<string, unknown> {
  return {
    CheckResult: CHECK_RESULT_SCHEMA,
    HiddenChecks: HIDDEN_CHECKS_SCHEMA,
    SubmissionGrade: SUBMISSION_GRADE_SCHEMA,
  };
}
