import { useEffect, useState } from 'react';
import type { NetplayClient } from '../api/client';
import type { Exercise, Sandbox } from '../api/types';
import { SHIPPED_EXAMPLES } from '../examples';
import { navigate } from '../navigation';
import { pathFor, probeQueryString, type Route } from '../routes';
import { ErrorNote } from '../components/error-note';

/** Sandboxes of the tenant, the shipped examples to start from, and the exercises. */
export function HomePage({ client, route }: { client: NetplayClient; route: Route }) {
  const [sandboxes, setSandboxes] = useState<Sandbox[] | null>(null);
  const [exercises, setExercises] = useState<Exercise[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    client.listSandboxes().then((page) => setSandboxes(page.items), setError);
    client.listExercises().then(setExercises, setError);
  }, [client]);
  const startFrom = async (example: (typeof SHIPPED_EXAMPLES)[number]) => {
    try {
      const { sandbox } = await client.createSandbox({
        name: `${example.name}-${Date.now().toString(36)}`,
        description: `Started from examples/manifests/${example.name}.yaml`,
        manifests: example.manifests,
      });
      navigate(pathFor(route, `/sandboxes/${sandbox.id}?${probeQueryString(example.probe)}`));
    } catch (e) {
      setError(e);
    }
  };
  const link = (path: string) => ({
    href: pathFor(route, path),
    onClick: (e: React.MouseEvent) => {
      e.preventDefault();
      navigate(pathFor(route, path));
    },
  });
  return (
    <section className="page home">
      <h1>Playground</h1>
      <ErrorNote error={error} />
      <div className="home-columns">
        <section aria-labelledby="sandboxes-heading">
          <h2 id="sandboxes-heading">Your sandboxes</h2>
          {sandboxes === null ? (
            <p>Loading…</p>
          ) : sandboxes.length === 0 ? (
            <p>No sandbox yet: start from an example.</p>
          ) : (
            <ul className="card-list">
              {sandboxes.map((s) => (
                <li key={s.id}>
                  <a {...link(`/sandboxes/${s.id}`)}>{s.name}</a>
                  <span className="muted"> · revision {s.version}</span>
                  {s.description && <p className="muted small">{s.description}</p>}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="examples-heading">
          <h2 id="examples-heading">Start from an example</h2>
          <ul className="card-list">
            {SHIPPED_EXAMPLES.map((example) => (
              <li key={example.name}>
                <button type="button" onClick={() => startFrom(example)}>
                  New sandbox from {example.name}
                </button>
                <p className="muted small">{example.title}</p>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="exercises-heading">
          <h2 id="exercises-heading">Exercises</h2>
          {exercises === null ? (
            <p>Loading…</p>
          ) : (
            <ul className="card-list">
              {exercises.map((x) => (
                <li key={x.id}>
                  <a {...link(`/exercises/${x.id}`)}>{x.title}</a>
                  <span className="muted small"> · {x.checks.length} checks</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
