// Validates a submitted scenario (`{steps: [...]}`) at the API boundary with the engine's own
// step reader, so a step the worker would refuse is a 422 naming the step and field now, not
// a failed run later.
import { readScenarioSteps, type EngineIssue, type Step } from '@netplay/engine';

/** More steps than this is a mistake or an attack; a scenario of the docs has about ten. */
export const MAX_STEPS_PER_RUN = 200;

export interface StepProblem {
  /** `steps[2].probe.from` */
  path: string;
  message: string;
  code: string;
}

export type RunStepsReading = { ok: true; steps: Step[] } | { ok: false; problems: StepProblem[] };

export function readRunSteps(body: unknown): RunStepsReading {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('', 'the body must be a JSON object {"steps": [...]}', 'NOT_AN_OBJECT');
  }
  const { steps, ...rest } = body as Record<string, unknown>;
  const unknownField = Object.keys(rest)[0];
  if (unknownField !== undefined)
    return fail(unknownField, 'unknown field (a run body has only "steps")', 'INVALID_FIELD');
  if (!Array.isArray(steps))
    return fail('steps', 'is required (a list of scenario steps)', 'MISSING_FIELD');
  if (steps.length === 0) return fail('steps', 'must hold at least one step', 'INVALID_FIELD');
  if (steps.length > MAX_STEPS_PER_RUN)
    return fail(
      'steps',
      `must hold at most ${MAX_STEPS_PER_RUN} steps, got ${steps.length}`,
      'INPUT_TOO_LARGE',
    );
  const read = readScenarioSteps(steps, { path: 'steps', object: 'Run' });
  if (!read.steps) return { ok: false, problems: read.issues.map(toStepProblem) };
  return { ok: true, steps: read.steps };
}

function toStepProblem(issue: EngineIssue): StepProblem {
  return { path: issue.path ?? '', message: issue.message, code: issue.code };
}

function fail(path: string, message: string, code: string): RunStepsReading {
  return { ok: false, problems: [{ path, message, code }] };
}
