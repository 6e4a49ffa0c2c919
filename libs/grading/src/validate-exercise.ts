import type { Exercise, ExerciseIssue } from './exercise-types';
import { gradeSubmission } from './grade-submission';

/**
 * Refuses an exercise that cannot teach: the starting manifests must load and fail every check
 * (a check passing at the start awards points for nothing), and the reference solution must load
 * and pass every check (otherwise the check is unreachable). Structural problems come from
 * readExercise; this adds what only running the engine can tell.
 */
export function validateExercise(exercise: Exercise): ExerciseIssue[] {
  const issues: ExerciseIssue[] = [];
  const start = gradeSubmission(exercise, { mode: 'full', manifests: exercise.startingManifests });
  if (start.problems) {
    issues.push({
      severity: 'error',
      code: 'STARTING_MANIFESTS_INVALID',
      path: 'spec.startingManifests',
      message: `the starting manifests do not load: ${start.problems.join('; ')}`,
    });
  } else {
    exercise.checks.forEach((check, i) => {
      const result = start.checks[i];
      if (result.passed)
        issues.push({
          severity: 'error',
          code: 'CHECK_PASSES_AT_START',
          path: `spec.checks[${i}]`,
          check: check.id,
          message: `check "${check.id}": passes on the starting sandbox; ${result.reason}`,
        });
    });
  }
  const reference = exercise.referenceSolution;
  if (!reference) {
    issues.push({
      severity: 'error',
      code: 'NO_REFERENCE_SOLUTION',
      path: 'spec.referenceSolution',
      message: 'is required to show that every check can pass',
    });
    return issues;
  }
  const solved = gradeSubmission(exercise, reference);
  if (solved.problems) {
    issues.push({
      severity: 'error',
      code: 'REFERENCE_SOLUTION_INVALID',
      path: 'spec.referenceSolution.manifests',
      message: `the reference solution does not load: ${solved.problems.join('; ')}`,
    });
    return issues;
  }
  exercise.checks.forEach((check, i) => {
    const result = solved.checks[i];
    if (!result.passed)
      issues.push({
        severity: 'error',
        code: 'CHECK_FAILS_ON_REFERENCE',
        path: `spec.checks[${i}]`,
        check: check.id,
        message: `check "${check.id}": fails on the reference solution; ${result.reason}`,
      });
  });
  return issues;
}
