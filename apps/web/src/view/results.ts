/**
 * The instructor's results view of an exercise, as text: one row per learner (from the API's
 * `GET /v1/exercises/:id/results`, a page at a time, the course's learners merged in) and the
 * summary above the table (the API's counts, which cover every page).
 * States are written out (✓ passed, ✕ not passed, … no grade yet, — not attempted), never carried
 * by colour alone.
 */
import type { ExerciseResults, LearnerResult } from '../api/types';

export interface ResultRow {
  key: string;
  /** The roster's name, else the learner reference. */
  learner: string;
  /** The learner reference under the name, when a name is shown. */
  detail: string | null;
  role: string;
  attempts: string;
  best: string;
  outcome: { text: string; tone: 'passed' | 'failed' | 'none' };
  lastSubmitted: string;
}

const LIS_ROLE =
  /[#/](Instructor|Learner|TeachingAssistant|Mentor|ContentDeveloper|Administrator)$/;
const ROLE_LABELS: Record<string, string> = {
  TeachingAssistant: 'Teaching assistant',
  ContentDeveloper: 'Content developer',
};

/** The first LIS role the member has, as a word ("Instructor"); "—" outside the roster. */
export function roleLabel(roles: readonly string[]): string {
  for (const role of roles) {
    const name = LIS_ROLE.exec(role)?.[1] ?? (LIS_ROLE.test(`#${role}`) ? role : undefined);
    if (name) return ROLE_LABELS[name] ?? name;
  }
  return '—';
}

export function resultRow(item: LearnerResult, formatTime: (iso: string) => string): ResultRow {
  const attempted = item.attempts > 0;
  return {
    key: item.learnerRef,
    learner: item.name ?? item.learnerRef,
    detail: item.name ? item.learnerRef : null,
    role: item.inRoster ? roleLabel(item.roles) : '—',
    attempts: String(item.attempts),
    best:
      item.bestScore === null
        ? '—'
        : `${formatScore(item.bestScore)} / ${formatScore(item.maxScore ?? 0)}`,
    outcome: !attempted
      ? { text: '— not attempted', tone: 'none' }
      : item.passed
        ? { text: '✓ passed', tone: 'passed' }
        : item.bestScore === null
          ? // Submitted, but nothing graded yet (queued, or grading failed).
            { text: '… no grade yet', tone: 'none' }
          : { text: '✕ not passed', tone: 'failed' },
    lastSubmitted: item.lastSubmittedAt ? formatTime(item.lastSubmittedAt) : 'never',
  };
}

/** "3 learners: 2 attempted, 1 passed (1 instructor not listed)" and what the roster says. */
export function resultsSummary(results: Pick<ExerciseResults, 'summary' | 'roster'>): {
  counts: string;
  roster: string;
} {
  const { learners, attempted, passed, instructors } = results.summary;
  const staff =
    instructors > 0
      ? ` (${instructors} ${instructors === 1 ? 'instructor' : 'instructors'} not listed)`
      : '';
  const counts = `${learners} ${learners === 1 ? 'learner' : 'learners'}: ${attempted} attempted, ${passed} passed${staff}`;
  const roster =
    results.roster.status === 'merged'
      ? `Course roster from the LMS included: learners who have not attempted the exercise are listed too${results.roster.truncated ? ' (the roster was cut at its size limit)' : ''}.`
      : results.roster.status === 'unavailable'
        ? `The course roster could not be read (${results.roster.message ?? 'no reason given'}): only learners who submitted are listed.`
        : 'No course roster (the exercise was not launched from an LMS course that shares it): learners who submitted are listed.';
  return { counts, roster };
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}
