/**
 * The bearer token the page calls the API with. A developer pastes an API key on the sign-in
 * screen; a platform embedding the page passes a token in the URL fragment (`#token=…`, never sent
 * to a server or kept in its logs), which the page moves to storage and removes from the address.
 * Kept in sessionStorage: it lives as long as the tab and is never a cookie.
 */
const KEY = 'netplay.token';

export function tokenFromFragment(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.trim() ? token.trim() : undefined;
}

export function readToken(storage: Storage = sessionStorage): string | undefined {
  return storage.getItem(KEY) ?? undefined;
}

export function saveToken(token: string, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, token);
}

export function clearToken(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}
