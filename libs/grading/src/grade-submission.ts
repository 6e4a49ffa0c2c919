import { formatIssue, loadCluster, type ClusterState } from '@netplay/engine';
import { composeManifests } from './compose-manifests';
import type { CheckResult, Exercise, GradeResult, ManifestSubmission } from './exercise-types';
import { runCheck } from './run-check';

export type ClusterBuild =
  { state: ClusterState; problems: [] } | { state: null; problems: string[] };

/** The submission as a simulated cluster, or the precise reasons it cannot be built (engine errors, patch errors). */
export function buildSubmissionCluster(
  exercise: Exercise,
  submission: ManifestSubmission,
): ClusterBuild {
  const composed = composeManifests(exercise, submission);
  if (composed.problems.length) return { state: null, problems: composed.problems };
  const loaded = loadCluster(composed.files);
  const errors = loaded.issues.filter((i) => i.severity === 'error');
  if (!loaded.state || errors.length)
    return {
      state: null,
      problems: errors.length ? errors.map(formatIssue) : ['the cluster could not be built'],
    };
  return { state: loaded.state, problems: [] };
}

/**
 * Grades a submission: builds the cluster and runs every check on it. Manifests that do not load
 * give a result too (score 0, every check failed with the engine's error as the reason), never an
 * exception. Deterministic: the cluster's seed fixes every random choice.
 */
export function gradeSubmission(exercise: Exercise, submission: ManifestSubmission): GradeResult {
  const built = buildSubmissionCluster(exercise, submission);
  const maxScore = exercise.checks.reduce((sum, c) => sum + c.points, 0);
  if (!built.state) {
    const more =
      built.problems.length > 1
        ? ` (and ${built.problems.length - 1} more problem${built.problems.length > 2 ? 's' : ''})`
        : '';
    const reason = `The manifests did not load: ${built.problems[0]}${more}.`;
    const checks = exercise.checks.map((c): CheckResult => ({
      id: c.id,
      title: c.title,
      passed: false,
      points: c.points,
      awarded: 0,
      ...(c.hint ? { hint: c.hint } : {}),
      hidden: c.hidden,
      reason,
    }));
    return {
      score: 0,
      maxScore,
      passed: false,
      checks,
      summary: `0/${maxScore}: the manifests did not load:\n${built.problems.map((p) => `- ${p}`).join('\n')}`,
      problems: built.problems,
    };
  }
  const state = built.state;
  const checks = exercise.checks.map((c): CheckResult => {
    const outcome = runCheck(state, c.assertion);
    return {
      id: c.id,
      title: c.title,
      passed: outcome.passed,
      points: c.points,
      awarded: outcome.passed ? c.points : 0,
      ...(!outcome.passed && c.hint ? { hint: c.hint } : {}),
      hidden: c.hidden,
      reason: outcome.reason,
      ...(outcome.trace ? { trace: outcome.trace } : {}),
    };
  });
  const score = checks.reduce((sum, c) => sum + c.awarded, 0);
  const failed = checks.filter((c) => !c.passed);
  const summary = failed.length
    ? `${score}/${maxScore}: ${checks.length - failed.length} of ${checks.length} checks passed; failing: ${failed.map((c) => c.id).join(', ')}.`
    : `${score}/${maxScore}: all ${checks.length} checks passed.`;
  return { score, maxScore, passed: failed.length === 0, checks, summary };
}
