import type { ExerciseResults, LearnerResult } from '../api/types';
import { resultRow, resultsSummary, roleLabel } from './results';

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
const at = (iso: string) => `at ${iso.slice(11, 16)}`;

const learner = (overrides: Partial<LearnerResult>): LearnerResult => ({
  learnerRef: 'lti:p1:sub-1',
  name: null,
  userId: null,
  roles: [],
  inRoster: false,
  attempts: 0,
  bestScore: null,
  maxScore: null,
  passed: false,
  lastSubmittedAt: null,
  ...overrides,
});

describe('the results view', () => {
  it.each([
    [[`${MEMBERSHIP}#Learner`], 'Learner'],
    [
      [`${MEMBERSHIP}/Instructor#TeachingAssistant`, `${MEMBERSHIP}#Instructor`],
      'Teaching assistant',
    ],
    [['Instructor'], 'Instructor'],
    [['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Staff'], '—'],
    [[], '—'],
  ])('names the LIS roles %j as %s', (roles, label) => {
    expect(roleLabel(roles)).toBe(label);
  });

  it('writes out a passed, a failed, an ungraded and a never attempted learner', () => {
    expect(
      resultRow(
        learner({
          name: 'Ada',
          roles: [`${MEMBERSHIP}#Learner`],
          inRoster: true,
          attempts: 3,
          bestScore: 10,
          maxScore: 10,
          passed: true,
          lastSubmittedAt: '2026-12-07T09:30:00.000Z',
        }),
        at,
      ),
    ).toEqual({
      key: 'lti:p1:sub-1',
      learner: 'Ada',
      detail: 'lti:p1:sub-1',
      role: 'Learner',
      attempts: '3',
      best: '10 / 10',
      outcome: { text: '✓ passed', tone: 'passed' },
      lastSubmitted: 'at 09:30',
    });
    expect(
      resultRow(
        learner({
          learnerRef: 'outside-1',
          attempts: 1,
          bestScore: 2.5,
          maxScore: 10,
          lastSubmittedAt: '2026-12-07T10:00:00.000Z',
        }),
        at,
      ),
    ).toMatchObject({
      learner: 'outside-1',
      detail: null,
      role: '—',
      best: '2.5 / 10',
      outcome: { text: '✕ not passed', tone: 'failed' },
    });
    expect(
      resultRow(learner({ attempts: 1, lastSubmittedAt: '2026-12-07T10:00:00.000Z' }), at),
    ).toMatchObject({ best: '—', outcome: { text: '… no grade yet', tone: 'none' } });
    expect(
      resultRow(learner({ name: 'Grace', inRoster: true, roles: ['Learner'] }), at),
    ).toMatchObject({
      best: '—',
      outcome: { text: '— not attempted', tone: 'none' },
      lastSubmitted: 'never',
    });
  });

  it('sums up the learners, leaving instructors out, and says where the roster came from', () => {
    const results: Pick<ExerciseResults, 'summary' | 'roster'> = {
      summary: { learners: 3, attempted: 2, passed: 1, instructors: 1 },
      roster: { status: 'merged', message: null, truncated: false },
    };
    expect(resultsSummary(results)).toEqual({
      counts: '3 learners: 2 attempted, 1 passed (1 instructor not listed)',
      roster:
        'Course roster from the LMS included: learners who have not attempted the exercise are listed too.',
    });
    expect(
      resultsSummary({
        summary: { learners: 1, attempted: 1, passed: 0, instructors: 0 },
        roster: { status: 'unavailable', message: 'HTTP 503', truncated: false },
      }),
    ).toEqual({
      counts: '1 learner: 1 attempted, 0 passed',
      roster:
        'The course roster could not be read (HTTP 503): only learners who submitted are listed.',
    });
    expect(
      resultsSummary({
        summary: { learners: 0, attempted: 0, passed: 0, instructors: 2 },
        roster: { ...results.roster, status: 'none' },
      }),
    ).toEqual({
      counts: '0 learners: 0 attempted, 0 passed (2 instructors not listed)',
      roster: expect.stringMatching(/^No course roster/),
    });
  });
});
