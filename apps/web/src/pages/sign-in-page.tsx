import { useState, type FormEvent } from 'react';
import { restClient } from '../api/client';

/** A developer pastes a tenant API key; it is checked with one request and kept for this tab only. */
export function SignInPage({
  onSignedIn,
  embed,
}: {
  onSignedIn: (key: string) => void;
  embed: boolean;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await restClient(key.trim()).listSandboxes();
      onSignedIn(key.trim());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="page sign-in">
      <h1>Sign in</h1>
      {embed ? (
        <p>This embedded page needs a token from the platform that opened it.</p>
      ) : (
        <p>
          Paste an API key of your tenant (<code>np_…</code>). <code>npm start</code> prints a
          development key on its first start. The key stays in this tab only.
        </p>
      )}
      <form onSubmit={submit} className="stack">
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          required
        />
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {error && (
          <p role="alert" className="error">
            The key was not accepted: {error}
          </p>
        )}
      </form>
    </section>
  );
}
