// The instructor's results view of an exercise: every learner who submitted (attempts, best score,
// passed, last submitted) and, when the exercise was launched from an LMS course that granted NRPS,
// the course's learners merged in, so those who never attempted it are listed too. The course's
// instructors (members without a learner role) are neither listed nor counted as learners.
// Paged like every list, in learner reference order: the only order both sources (submissions in
// PostgreSQL, the roster read from the platform) can be walked in together, page after page.
// Instructor sessions and tenant keys only: a learner session is refused (403), in REST and GraphQL.
import { Injectable } from '@nestjs/common';
import {
  decodeKeyCursor,
  encodeKeyCursor,
  ExerciseRepository,
  pageSize,
  type LearnerResultRow,
  type PageRequest,
} from '@netplay/db';
import { isLearner } from '@netplay/webhooks';
import type { CallerIdentity } from '../auth/request-of';
import { ApiError } from '../errors/api-error';
import { unknownCursor } from '../errors/unknown-cursor';
import { LtiService, type CourseMember } from '../lti/lti.service';
import { ExerciseDigests } from './exercise-digests';

export interface LearnerResultView {
  learnerRef: string;
  /** From the course roster, when the platform sent it (never stored). */
  name: string | null;
  /** The platform's user id (`sub`) of a roster member. */
  userId: string | null;
  roles: string[];
  /** Listed by the course roster (NRPS). */
  inRoster: boolean;
  attempts: number;
  bestScore: number | null;
  maxScore: number | null;
  passed: boolean;
  lastSubmittedAt: string | null;
}

export type RosterStatus = 'merged' | 'unavailable' | 'none';

export interface ResultsSummary {
  /** Learners listed across every page: those who submitted and the roster's other learners. */
  learners: number;
  attempted: number;
  passed: number;
  /** Course members without a learner role (instructors, assistants…), left out of the list. */
  instructors: number;
}

export interface ExerciseResultsView {
  exerciseId: string;
  /** The exercise's points (the sum of its checks'). */
  points: number;
  /** One page of learners, by learner reference. */
  items: LearnerResultView[];
  /** Absent on the last page. */
  nextCursor?: string;
  summary: ResultsSummary;
  roster: {
    /** merged: the course roster is in `items`; unavailable: the platform could not be read; none: no LTI launch of the exercise granted it. */
    status: RosterStatus;
    message: string | null;
    /** The platform had more members than netplay reads. */
    truncated: boolean;
  };
}

@Injectable()
export class ExerciseResultsService {
  constructor(
    private readonly exercises: ExerciseRepository,
    private readonly lti: LtiService,
    private readonly digests: ExerciseDigests,
  ) {}

  async results(
    caller: CallerIdentity,
    exerciseId: string,
    page: PageRequest = {},
  ): Promise<ExerciseResultsView> {
    if (caller.learner && caller.learner.role !== 'instructor')
      throw new ApiError('forbidden', "only instructors see an exercise's results");
    const after = page.cursor === undefined ? undefined : decodeKeyCursor(page.cursor);
    if (page.cursor !== undefined && after === undefined) throw unknownCursor();
    const exercise = await this.exercises.get(caller.tenantId, exerciseId);
    if (!exercise) throw new ApiError('not-found', `no exercise ${exerciseId}`);
    const size = pageSize(page.limit);
    const course = await this.lti.courseMembers(caller, exercise.id);
    const members = course.status === 'read' ? course.members : [];
    const learners = members.filter((member) => isLearner(member.roles));
    const instructorRefs = members
      .filter((member) => !isLearner(member.roles))
      .map((member) => member.learnerRef);
    const [rows, counts] = await Promise.all([
      this.exercises.learnerResults(caller.tenantId, exercise.id, {
        after,
        excludeRefs: instructorRefs,
        limit: size + 1,
      }),
      this.exercises.learnerResultCounts(caller.tenantId, exercise.id, {
        excludeRefs: instructorRefs,
        rosterRefs: learners.map((member) => member.learnerRef),
      }),
    ]);
    // The first size + 1 refs after the cursor of the union: the submitters' query returned its
    // first size + 1, and no submitter past those can come before the union's (size + 1)th.
    const submitted = new Map(rows.map((row) => [row.learnerRef, row]));
    const rosterByRef = new Map(learners.map((member) => [member.learnerRef, member]));
    const refs = [...new Set([...submitted.keys(), ...rosterByRef.keys()])]
      .filter((ref) => after === undefined || byteOrder(ref, after) > 0)
      .sort(byteOrder)
      .slice(0, size + 1);
    const pageRefs = refs.slice(0, size);
    const last = pageRefs[pageRefs.length - 1];
    return {
      exerciseId: exercise.id,
      points: await this.digests.pointsOf(exercise),
      items: pageRefs.map((ref) => resultOf(ref, submitted.get(ref), rosterByRef.get(ref))),
      ...(refs.length > size && last !== undefined ? { nextCursor: encodeKeyCursor(last) } : {}),
      summary: {
        learners: counts.submitted + learners.length - counts.submittedInRoster,
        attempted: counts.submitted,
        passed: counts.passed,
        instructors: instructorRefs.length,
      },
      roster: {
        status: course.status === 'read' ? 'merged' : course.status,
        message: course.status === 'unavailable' ? course.message : null,
        truncated: course.status === 'read' && course.truncated,
      },
    };
  }
}

function resultOf(
  learnerRef: string,
  row: LearnerResultRow | undefined,
  member: CourseMember | undefined,
): LearnerResultView {
  return {
    learnerRef,
    name: member?.name ?? null,
    userId: member?.userId ?? null,
    roles: member?.roles ?? [],
    inRoster: member !== undefined,
    attempts: row?.attempts ?? 0,
    bestScore: row?.bestScore ?? null,
    maxScore: row?.maxScore ?? null,
    passed: row?.passed ?? false,
    lastSubmittedAt: row?.lastSubmittedAt.toISOString() ?? null,
  };
}

/** PostgreSQL's `COLLATE "C"` order: UTF-8 bytes, which is code point order. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
