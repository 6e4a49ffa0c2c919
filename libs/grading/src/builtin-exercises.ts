import type { Exercise, ExerciseIssue } from './exercise-types';
import { readExercise } from './read-exercise';
import { validateExercise } from './validate-exercise';

export interface ExerciseFile {
  name: string;
  content: string;
}

/**
 * Reads and validates the shipped exercises (`exercises/*.yaml`, read by the caller: the library
 * does no I/O). An exercise with any error is left out; its issues carry the file name in `path`.
 * Sorted by file name, so the catalogue order does not depend on how the directory was listed.
 */
export function loadBuiltinExercises(files: ExerciseFile[]): {
  exercises: Exercise[];
  issues: ExerciseIssue[];
} {
  const exercises: Exercise[] = [];
  const issues: ExerciseIssue[] = [];
  const names = new Set<string>();
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const read = readExercise(file.content);
    const found = read.exercise
      ? [...read.issues, ...validateExercise(read.exercise)]
      : read.issues;
    issues.push(
      ...found.map((i) => ({ ...i, path: i.path ? `${file.name}: ${i.path}` : file.name })),
    );
    if (!read.exercise || found.some((i) => i.severity === 'error')) continue;
    if (names.has(read.exercise.name)) {
      issues.push({
        severity: 'error',
        code: 'DUPLICATE_EXERCISE',
        path: `${file.name}: metadata.name`,
        message: `exercise "${read.exercise.name}" is defined twice`,
      });
      continue;
    }
    names.add(read.exercise.name);
    exercises.push(read.exercise);
  }
  return { exercises, issues };
}
