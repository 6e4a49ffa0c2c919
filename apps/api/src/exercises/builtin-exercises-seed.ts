// Embedded mode's first start publishes the shipped exercises (`exercises/*.yaml`) for the
// development tenant, like the website sandbox, so submissions can be tried at once.
import { ExerciseRepository, type PrismaClient } from '@netplay/db';
import { exerciseDigest, loadBuiltinExercises, readExercise } from '@netplay/grading';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Publishes every shipped exercise that validates; returns the slugs published. */
export async function publishBuiltinExercises(
  prisma: PrismaClient,
  tenantId: string,
): Promise<string[]> {
  const dir = shippedExercisesDir();
  if (!dir) return [];
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => ({ name, content: readFileSync(path.join(dir, name), 'utf8') }));
  // loadBuiltinExercises leaves out any exercise that does not validate (or is defined twice).
  const valid = new Set(loadBuiltinExercises(files).exercises.map((exercise) => exercise.name));
  const repository = new ExerciseRepository(prisma);
  const published: string[] = [];
  for (const file of files) {
    const exercise = readExercise(file.content).exercise;
    if (!exercise || !valid.has(exercise.name) || published.includes(exercise.name)) continue;
    await repository.upsert(tenantId, {
      slug: exercise.name,
      title: exercise.title,
      instructions: exercise.instructions,
      yaml: file.content,
      validated: true,
      digest: exerciseDigest(exercise, file.content),
    });
    published.push(exercise.name);
  }
  return published;
}

/** The checkout's `exercises/` folder (from src/ or dist/); this module's own folder is also named `exercises`. */
function shippedExercisesDir(): string | undefined {
  for (let dir = path.dirname(__dirname); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'exercises');
    if (existsSync(candidate) && readdirSync(candidate).some((name) => name.endsWith('.yaml')))
      return candidate;
  }
  return undefined;
}
