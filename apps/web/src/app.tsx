import { useMemo, useState } from 'react';
import { restClient, type NetplayClient } from './api/client';
import { ExercisePage } from './pages/exercise-page';
import { HomePage } from './pages/home-page';
import { PlaygroundPage } from './pages/playground-page';
import { SignInPage } from './pages/sign-in-page';
import { navigate, useLocation } from './navigation';
import { parseRoute, pathFor, type Route } from './routes';
import { clearToken, readToken, saveToken, tokenFromFragment } from './session';

function initialToken(): string | undefined {
  const fromFragment = tokenFromFragment(window.location.hash);
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
  const signOut = () => {
    clearToken();
    setToken(undefined);
  };
  const content = client ? (
    <Screen route={route} client={client} />
  ) : (
    <SignInPage
      embed={route.embed}
      onSignedIn={(key) => {
        saveToken(key);
        setToken(key);
      }}
    />
  );
  if (route.embed) return <main className="app embed">{content}</main>;
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
        {client && (
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {content}
      </main>
    </div>
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
