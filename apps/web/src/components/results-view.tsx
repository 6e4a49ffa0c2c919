/**
 * The instructor's results of an exercise: every learner who submitted and, for an exercise
 * launched from an LMS course, the course's learners who have not (GET /v1/exercises/:id/results),
 * a page of learners at a time: "Show more learners" reads the next page and adds its rows.
 * The API decides who may read it (instructors and tenant keys); the page shows it to instructors.
 */
import { useCallback, useEffect, useState } from 'react';
import type { NetplayClient } from '../api/client';
import type { ExerciseResults, LearnerResult } from '../api/types';
import { resultRow, resultsSummary } from '../view/results';
import { ErrorNote } from './error-note';

const formatTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ResultsView({ client, exerciseId }: { client: NetplayClient; exerciseId: string }) {
  // The latest page's summary, roster and cursor; the rows of every page read so far.
  const [results, setResults] = useState<ExerciseResults | null>(null);
  const [items, setItems] = useState<LearnerResult[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    client
      .results(exerciseId)
      .then((page) => {
        setResults(page);
        setItems(page.items);
      }, setError)
      .finally(() => setLoading(false));
  }, [client, exerciseId]);
  useEffect(load, [load]);
  const loadMore = () => {
    if (!results?.nextCursor) return;
    setLoading(true);
    setError(null);
    client
      .results(exerciseId, results.nextCursor)
      .then((page) => {
        setResults(page);
        setItems((shown) => [...shown, ...page.items]);
      }, setError)
      .finally(() => setLoading(false));
  };
  const summary = results && resultsSummary(results);
  return (
    <section className="page results" aria-labelledby="results-heading">
      <div className="row">
        <h2 id="results-heading">Results</h2>
        <button type="button" onClick={load} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh results'}
        </button>
      </div>
      <ErrorNote error={error} />
      {!results && !error && <p>Loading the results…</p>}
      {results && summary && (
        <>
          <p className="small" id="results-summary">
            {summary.counts}. {summary.roster}
          </p>
          {items.length === 0 ? (
            <p>Nobody has submitted yet.</p>
          ) : (
            <div
              className="results-scroll"
              role="region"
              aria-labelledby="results-heading"
              tabIndex={0}
            >
              <table className="results-table" aria-describedby="results-summary">
                <caption>Each learner&apos;s submissions of this exercise</caption>
                <thead>
                  <tr>
                    <th scope="col">Learner</th>
                    <th scope="col">Role</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Best score</th>
                    <th scope="col">Result</th>
                    <th scope="col">Last submitted</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => {
                    const row = resultRow(item, formatTime);
                    return (
                      <tr key={row.key}>
                        <th scope="row">
                          {row.learner}
                          {row.detail && <span className="muted small block">{row.detail}</span>}
                        </th>
                        <td>{row.role}</td>
                        <td className="number">{row.attempts}</td>
                        <td className="number">{row.best}</td>
                        <td className={`outcome ${row.outcome.tone}`}>{row.outcome.text}</td>
                        <td>{row.lastSubmitted}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {results.nextCursor && (
            <button type="button" onClick={loadMore} disabled={loading}>
              {loading ? 'Loading…' : 'Show more learners'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
