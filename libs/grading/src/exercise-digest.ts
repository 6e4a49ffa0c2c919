import { parseDocument } from 'yaml';
import type { Exercise } from './exercise-types';

/**
 * What every view of a published exercise needs, computed once when it is published (in the
 * engine pool) and stored beside its YAML, so no read parses an exercise of up to 2 MiB on the
 * API's thread.
 */
export interface ExerciseDigest {
  /** Every check's points, hidden ones included: the line item's scoreMaximum. */
  points: number;
  /** The checks a learner may see, without their probes or expectations. */
  visibleChecks: { id: string; title: string; points: number }[];
  /** The exercise's YAML without `spec.referenceSolution` and `spec.checks`: what a learner reads. */
  learnerYaml: string;
}

export function exerciseDigest(exercise: Exercise, yaml: string): ExerciseDigest {
  const learnerDocument = parseDocument(yaml);
  learnerDocument.deleteIn(['spec', 'referenceSolution']);
  learnerDocument.deleteIn(['spec', 'checks']);
  return {
    points: exercise.checks.reduce((sum, check) => sum + check.points, 0),
    visibleChecks: exercise.checks
      .filter((check) => !check.hidden)
      .map((check) => ({ id: check.id, title: check.title, points: check.points })),
    learnerYaml: learnerDocument.toString(),
  };
}
