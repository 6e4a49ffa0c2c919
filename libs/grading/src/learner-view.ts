import type { GradeResult, LearnerGradeView } from './exercise-types';

/**
 * The result as a learner may see it: hidden checks are reduced to how many there are, how many
 * passed and their points, so their probes, reasons and hints do not give the test away.
 */
export function learnerView(result: GradeResult): LearnerGradeView {
  const hidden = result.checks.filter((c) => c.hidden);
  const visible = result.checks.filter((c) => !c.hidden);
  return {
    score: result.score,
    maxScore: result.maxScore,
    passed: result.passed,
    checks: visible,
    hiddenChecks: {
      count: hidden.length,
      passed: hidden.filter((c) => c.passed).length,
      points: hidden.reduce((sum, c) => sum + c.points, 0),
      awarded: hidden.reduce((sum, c) => sum + c.awarded, 0),
    },
    summary: hidden.length
      ? `${result.score}/${result.maxScore}: ${visible.filter((c) => c.passed).length} of ${visible.length} visible checks and ${hidden.filter((c) => c.passed).length} of ${hidden.length} hidden checks passed.`
      : result.summary,
  };
}
