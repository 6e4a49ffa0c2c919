import { createContext, useContext } from 'react';
import type { LearnerSession } from './api/types';

/**
 * The learner session the page runs as, or null with a tenant API key. Screens read it to submit
 * as the learner and to open the sandbox the session names; what the learner may see is decided by
 * the API, not here.
 */
export const LearnerContext = createContext<LearnerSession | null>(null);

export function useLearner(): LearnerSession | null {
  return useContext(LearnerContext);
}

/** The sandbox an exercise page opens for a learner: the session's own, when it names this exercise. */
export function sessionSandboxFor(
  learner: LearnerSession | null,
  exerciseId: string,
): string | null {
  if (!learner?.sandboxId) return null;
  return learner.exerciseId === null || learner.exerciseId === exerciseId
    ? learner.sandboxId
    : null;
}

/** How the exercise page describes a sandbox it starts (and how a later visit recognises it). */
export function exerciseSandboxDescription(title: string): string {
  return `Exercise: ${title}`;
}

/**
 * Of a learner's sandboxes listed newest first, the one an earlier visit started for the exercise
 * (named `<slug>-<base-36 time>` and described as the exercise), so a new launch resumes the work
 * instead of starting over.
 */
export function resumableSandbox(
  sandboxes: readonly { id: string; name: string; description: string | null }[],
  exercise: { slug: string; title: string },
): string | null {
  const prefix = `${exercise.slug}-`;
  const found = sandboxes.find(
    (s) =>
      s.name.startsWith(prefix) &&
      /^[0-9a-z]+$/.test(s.name.slice(prefix.length)) &&
      s.description === exerciseSandboxDescription(exercise.title),
  );
  return found?.id ?? null;
}
