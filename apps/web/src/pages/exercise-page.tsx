/**
 * An exercise: its instructions, a sandbox started from its starting manifests (and cluster
 * settings), the playground to work in, and Submit, which the API grades; the result lists every
 * visible check with its hint, says of hidden checks only how many failed, and keeps a history.
 * An instructor's session sees the exercise's results too: every learner's, with the LMS course's
 * roster when the exercise was launched from one.
 */
import { useEffect, useState } from 'react';
import type { NetplayClient } from '../api/client';
import type { Exercise, LearnerScores, Submission } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PlainMarkdown } from '../components/plain-markdown';
import { ResultsView } from '../components/results-view';
import {
  exerciseSandboxDescription,
  resumableSandbox,
  sessionSandboxFor,
  useLearner,
} from '../learner-context';
import type { Route } from '../routes';
import { tabStorage } from '../session';
import { exerciseStart } from './exercise-start';
import { PlaygroundPage } from './playground-page';

const sandboxKey = (exerciseId: string) => `netplay.exercise.${exerciseId}`;
const LEARNER_KEY = 'netplay.learnerRef';
const POLL_MS = 400;
const GRADING_TIMEOUT_MS = 60_000;

export function ExercisePage({
  client,
  route,
  exerciseId,
}: {
  client: NetplayClient;
  route: Route;
  exerciseId: string;
}) {
  const learner = useLearner();
  const [exercise, setExercise] = useState<Exercise | null>(null);
  const [sandboxId, setSandboxId] = useState<string | null>(
    () => tabStorage().getItem(sandboxKey(exerciseId)) ?? sessionSandboxFor(learner, exerciseId),
  );
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    client.getExercise(exerciseId).then(setExercise, setError);
  }, [client, exerciseId]);
  // A learner coming back (a new launch, another tab) continues in the sandbox started before.
  useEffect(() => {
    if (!learner || sandboxId || !exercise) return;
    let cancelled = false;
    client.listSandboxes(exercise.slug).then((page) => {
      const resumed = resumableSandbox(page.items, exercise);
      if (resumed && !cancelled) {
        tabStorage().setItem(sandboxKey(exerciseId), resumed);
        setSandboxId(resumed);
      }
    }, setError);
    return () => {
      cancelled = true;
    };
  }, [client, learner, exercise, exerciseId, sandboxId]);
  const start = async () => {
    if (!exercise) return;
    try {
      const { startingManifests, cluster } = exerciseStart(exercise.yaml);
      const { sandbox } = await client.createSandbox({
        name: `${exercise.slug}-${Date.now().toString(36)}`,
        description: exerciseSandboxDescription(exercise.title),
        manifests: startingManifests,
        clusterSettings: cluster,
      });
      tabStorage().setItem(sandboxKey(exerciseId), sandbox.id);
      setSandboxId(sandbox.id);
    } catch (e) {
      setError(e);
    }
  };
  if (error)
    return (
      <section className="page">
        <ErrorNote error={error} />
      </section>
    );
  if (!exercise)
    return (
      <section className="page">
        <p>Loading the exercise…</p>
      </section>
    );
  return (
    <div className="exercise">
      <section className="page exercise-head" aria-labelledby="exercise-title">
        <h1 id="exercise-title">{exercise.title}</h1>
        <div className="instructions">
          <PlainMarkdown text={exercise.instructions} />
        </div>
        <p className="muted small">
          {exercise.checks.length} visible checks,{' '}
          {exercise.checks.reduce((s, c) => s + c.points, 0)} points (hidden checks may add more).
        </p>
        {!sandboxId && (
          <button type="button" className="primary" onClick={start}>
            Start the exercise
          </button>
        )}
      </section>
      {learner?.role === 'instructor' && <ResultsView client={client} exerciseId={exercise.id} />}
      {sandboxId && (
        <PlaygroundPage
          client={client}
          route={route}
          sandboxId={sandboxId}
          aside={(manifests) => (
            <SubmitPanel client={client} exercise={exercise} manifests={manifests} />
          )}
        />
      )}
    </div>
  );
}

function SubmitPanel({
  client,
  exercise,
  manifests,
}: {
  client: NetplayClient;
  exercise: Exercise;
  manifests: string;
}) {
  const learner = useLearner();
  const [typedLearnerRef, setLearnerRef] = useState(
    () => tabStorage().getItem(LEARNER_KEY) ?? 'playground',
  );
  // A learner session submits as its learner; only a developer with an API key picks the reference.
  const learnerRef = learner?.learnerRef ?? typedLearnerRef;
  const [busy, setBusy] = useState(false);
  const [latest, setLatest] = useState<Submission | null>(null);
  const [history, setHistory] = useState<Submission[]>([]);
  const [scores, setScores] = useState<LearnerScores | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    client.scores(exercise.id, learnerRef).then(setScores, () => setScores(null));
  }, [client, exercise.id, learnerRef, latest]);
  const submit = async () => {
    setBusy(true);
    setError(null);
    if (!learner) tabStorage().setItem(LEARNER_KEY, learnerRef);
    try {
      let submission = await client.submit(exercise.id, learnerRef, manifests);
      const deadline = Date.now() + GRADING_TIMEOUT_MS;
      while (submission.status === 'queued' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        submission = await client.getSubmission(submission.id);
      }
      setLatest(submission);
      setHistory((h) => [submission, ...h]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const result = latest?.result;
  return (
    <section className="submit-panel" aria-labelledby="submit-heading">
      <h2 id="submit-heading">Submit</h2>
      <div className="row">
        {learner ? (
          <p className="small">
            Submitting as <strong>{learner.learnerRef}</strong>
          </p>
        ) : (
          <div className="field">
            <label htmlFor="learner-ref">Learner reference</label>
            <input
              id="learner-ref"
              value={learnerRef}
              onChange={(e) => setLearnerRef(e.target.value)}
            />
          </div>
        )}
        <button
          type="button"
          className="primary"
          onClick={submit}
          disabled={busy || !learnerRef.trim()}
        >
          {busy ? 'Grading…' : 'Submit for grading'}
        </button>
      </div>
      <ErrorNote error={error} />
      <div role="status" aria-live="polite">
        {latest &&
          (latest.status === 'graded' && result
            ? `Score ${result.score} of ${result.maxScore}${result.passed ? ': passed' : ''}`
            : `Submission ${latest.status}`)}
      </div>
      {result && (
        <ul className="checks" aria-label="Check results">
          {result.checks.map((check) => (
            <li key={check.id} className={check.passed ? 'passed' : 'failed'}>
              <strong>{check.passed ? '✓ passed' : '✕ failed'}</strong> {check.title}{' '}
              <span className="muted">
                ({check.awarded}/{check.points} points)
              </span>
              {!check.passed && check.reason && <p className="small">{check.reason}</p>}
              {!check.passed && check.hint && <p className="small hint">Hint: {check.hint}</p>}
            </li>
          ))}
          {result.hiddenChecks.count > 0 && (
            <li
              className={
                result.hiddenChecks.passed === result.hiddenChecks.count ? 'passed' : 'failed'
              }
            >
              <strong>
                {result.hiddenChecks.passed === result.hiddenChecks.count ? '✓' : '✕'} hidden checks
              </strong>{' '}
              {result.hiddenChecks.count - result.hiddenChecks.passed} of{' '}
              {result.hiddenChecks.count} failed
            </li>
          )}
        </ul>
      )}
      {(history.length > 0 || scores?.best) && (
        <div className="history">
          <h3>History</h3>
          {scores?.best && (
            <p className="small">
              Best: {scores.best.score}/{scores.best.maxScore} · latest:{' '}
              {scores.latest?.score ?? '—'}/{scores.latest?.maxScore ?? '—'}
            </p>
          )}
          <ol className="small">
            {history.map((s) => (
              <li key={s.id}>
                {new Date(s.createdAt).toLocaleTimeString()}: {s.status} {s.score ?? '—'}/
                {s.maxScore ?? '—'}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
