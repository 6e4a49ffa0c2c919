// Every view of an exercise reads its stored digest (points, the checks a learner may see, the YAML
// a learner may read): the YAML (up to 512 KiB) is parsed only when the exercise is published, in
// the engine pool. A row published before digests were gets its digest in the pool on its first
// read, and keeps it.
import { Injectable, Module } from '@nestjs/common';
import {
  ExerciseRepository,
  type ExerciseRecord,
  type ExerciseSummaryRecord,
  type StoredExerciseDigest,
} from '@netplay/db';
import { ApiEngine } from '../engine/api-engine';

export type ExerciseSummaryDigest = Pick<StoredExerciseDigest, 'points' | 'visibleChecks'>;

/** An exercise that no longer reads (the grading rules changed since): nothing for a learner. */
const UNREADABLE: StoredExerciseDigest = { points: 0, visibleChecks: [], learnerYaml: '' };

@Injectable()
export class ExerciseDigests {
  constructor(
    private readonly exercises: ExerciseRepository,
    private readonly engine: ApiEngine,
  ) {}

  async of(record: ExerciseRecord): Promise<StoredExerciseDigest> {
    if (record.points !== null && record.learnerYaml !== null)
      return { ...summaryColumns(record, record.points), learnerYaml: record.learnerYaml };
    return this.computed(record);
  }

  /** Without the learner's YAML, so a page of exercises is read without their YAML texts. */
  async summaryOf(record: ExerciseSummaryRecord): Promise<ExerciseSummaryDigest> {
    if (record.points !== null) return summaryColumns(record, record.points);
    const full = await this.exercises.get(record.tenantId, record.id);
    return full ? this.computed(full) : UNREADABLE;
  }

  /** Every check's points, hidden ones included: an LTI line item's scoreMaximum. */
  async pointsOf(record: ExerciseSummaryRecord): Promise<number> {
    return (await this.summaryOf(record)).points;
  }

  private async computed(record: ExerciseRecord): Promise<StoredExerciseDigest> {
    const { digest } = await this.engine.run(record.tenantId, {
      kind: 'exercise-digest',
      yaml: record.yaml,
    });
    if (!digest) return UNREADABLE;
    await this.exercises.saveDigest(record, digest);
    return digest;
  }
}

function summaryColumns(record: ExerciseSummaryRecord, points: number): ExerciseSummaryDigest {
  return {
    points,
    visibleChecks: (record.visibleChecks ?? []) as StoredExerciseDigest['visibleChecks'],
  };
}

/** Exercises and LTI (which exercises imports) both read digests. */
@Module({ providers: [ExerciseDigests], exports: [ExerciseDigests] })
export class ExerciseDigestsModule {}
