import { useEffect, useMemo, useState } from 'react';
import {
  ApiRequestError,
  isLearnerToken,
  isShareToken,
  restClient,
  type NetplayClient,
} from './api/client';
import type { LearnerSession } from './api/types';
import { ErrorNote } from './components/error-note';
import { LearnerContext } from './learner-context';
import { ExercisePage } from './pages/exercise-page';
import { HomePage } from './pages/home-page';
import { PlaygroundPage } from './pages/playground-page';
import { SignInPage } from './pages/sign-in-page';
import { navigate, useLocation } from './navigation';
import { parseRoute, pathFor, type Route } from './routes';
import { clearToken, readToken, saveToken, tokenFromFragment } from './session';

function initialToken(): string | undefined {
  const fromFragment = tokenFromFragment(window.location.hash);
  // A share link's token is for this page only: kept in the address (a reload still works) and
  // never stored, so opening a shared link does not replace the tab's own key or session.
  if (fromFragment && isShareToken(fromFragment)) return fromFragment;
  if (fromFragment) {
    saveToken(fromFragment);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return readToken();
}

export function App() {
  const location = useLocation();
  const route = useMemo(() => parseRoute(location.pathname, location.search), [location]);
  const [token, setToken] = useState(initialToken);
  const client = useMemo(() => (token ? restClient(token) : null), [token]);
  const learnerState = useLearnerSession(client);
  const signOut = () => {
    clearToken();
    setToken(undefined);
  };
  const content = !client ? null : learnerState.state === 'loading' ? (
    <section className="page">
      <p>Opening your session…</p>
    </section>
  ) : learnerState.state === 'failed' ? (
    <SessionEnded error={learnerState.error} />
  ) : (
    <LearnerContext.Provider value={learnerState.learner}>
      <Screen route={route} client={client} />
    </LearnerContext.Provider>
  );
  const page = client ? (
    content
  ) : (
    <SignInPage
      embed={route.embed}
      onSignedIn={(key) => {
        saveToken(key);
        setToken(key);
      }}
    />
  );
  if (route.embed) return <main className="app embed">{page}</main>;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          netplay <span>playground</span>
        </a>
        <div className="top-bar-session">
          {learnerState.state === 'ready' && learnerState.learner && (
            <span className="learner-badge">
              {learnerState.learner.role === 'instructor' ? 'Instructor' : 'Learner'}{' '}
              {learnerState.learner.learnerRef}
            </span>
          )}
          {client && !isShareToken(client.token) && (
            <button type="button" className="link-button" onClick={signOut}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}

type LearnerState =
  | { state: 'loading' }
  | { state: 'ready'; learner: LearnerSession | null }
  | { state: 'failed'; error: unknown };

/** With a learner token, the session it belongs to; a tenant API key needs no lookup. */
function useLearnerSession(client: NetplayClient | null): LearnerState {
  const learnerToken = client !== null && isLearnerToken(client.token);
  const [state, setState] = useState<LearnerState>(() =>
    learnerToken ? { state: 'loading' } : { state: 'ready', learner: null },
  );
  useEffect(() => {
    if (!client || !learnerToken) {
      setState({ state: 'ready', learner: null });
      return;
    }
    let cancelled = false;
    setState({ state: 'loading' });
    client.currentLearnerSession().then(
      (learner) => !cancelled && setState({ state: 'ready', learner }),
      (error: unknown) => !cancelled && setState({ state: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [client, learnerToken]);
  return state;
}

/** An expired or revoked learner token: only the platform that opened the page can make a new one. */
function SessionEnded({ error }: { error: unknown }) {
  const ended = error instanceof ApiRequestError && error.status === 401;
  return (
    <section className="page">
      <h1>{ended ? 'Your session has ended' : 'The session could not be opened'}</h1>
      {ended ? (
        <p>It expired or was revoked. Open the exercise again from your course to continue.</p>
      ) : (
        <ErrorNote error={error} />
      )}
    </section>
  );
}

function Screen({ route, client }: { route: Route; client: NetplayClient }) {
  const screen = route.screen;
  switch (screen.name) {
    case 'home':
      return <HomePage client={client} route={route} />;
    case 'sandbox':
      return (
        <PlaygroundPage
          key={screen.sandboxId}
          client={client}
          route={route}
          sandboxId={screen.sandboxId}
        />
      );
    case 'share':
      return (
        <PlaygroundPage
          key={`${screen.sandboxId}@${screen.version}`}
          client={client}
          route={route}
          sandboxId={screen.sandboxId}
          readOnlyVersion={screen.version}
        />
      );
    case 'exercise':
      return (
        <ExercisePage
          key={screen.exerciseId}
          client={client}
          route={route}
          exerciseId={screen.exerciseId}
        />
      );
    case 'not-found':
      return (
        <section className="page">
          <h1>Page not found</h1>
          <p>
            <a href={pathFor(route, '/')}>Back to the start</a>
          </p>
        </section>
      );
  }
}
