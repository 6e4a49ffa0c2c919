import type { LearnerSession } from './api/types';
import { resumableSandbox, sessionSandboxFor } from './learner-context';

const session = (overrides: Partial<LearnerSession>): LearnerSession => ({
  id: 's',
  learnerRef: 'alice',
  role: 'learner',
  exerciseId: null,
  sandboxId: null,
  expiresAt: '2030-01-01T00:00:00.000Z',
  ...overrides,
});

describe('sessionSandboxFor', () => {
  it.each<[string, LearnerSession | null, string | null]>([
    ['no session (an API key)', null, null],
    ['a session without a sandbox', session({ exerciseId: 'ex-1' }), null],
    ['a sandbox for this exercise', session({ exerciseId: 'ex-1', sandboxId: 'sb-1' }), 'sb-1'],
    ['a sandbox with no exercise named', session({ sandboxId: 'sb-1' }), 'sb-1'],
    ['a sandbox for another exercise', session({ exerciseId: 'ex-2', sandboxId: 'sb-1' }), null],
  ])('%s', (_name, learner, expected) => {
    expect(sessionSandboxFor(learner, 'ex-1')).toBe(expected);
  });
});

const EXERCISE = { slug: 'fix-the-dns-name', title: 'Fix the DNS name' };

describe('resumableSandbox', () => {
  it('picks the newest sandbox the page started for the exercise', () => {
    const listed = [
      { id: 'a', name: 'fix-the-dns-name-notes', description: 'my notes' },
      { id: 'b', name: 'fix-the-dns-name-mabc12', description: 'Exercise: Fix the DNS name' },
      { id: 'c', name: 'fix-the-dns-name-maaa00', description: 'Exercise: Fix the DNS name' },
    ];
    expect(resumableSandbox(listed, EXERCISE)).toBe('b');
  });

  it('ignores sandboxes of an exercise whose slug merely starts the same', () => {
    const listed = [
      { id: 'x', name: 'fix-the-dns-name-2-mabc12', description: 'Exercise: Fix the DNS name' },
    ];
    expect(resumableSandbox(listed, EXERCISE)).toBeNull();
    expect(resumableSandbox([], EXERCISE)).toBeNull();
  });
});
