import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExerciseFile } from '../builtin-exercises';

/** Test helper: the shipped exercises (`exercises/*.yaml` at the repository root), read from disk. */
export function shippedExerciseFiles(): ExerciseFile[] {
  const dir = join(__dirname, '../../../../exercises');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((name) => ({ name, content: readFileSync(join(dir, name), 'utf8') }));
}
