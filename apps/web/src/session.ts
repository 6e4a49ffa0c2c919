/**
 * The bearer token the page calls the API with. A developer pastes an API key on the sign-in
 * screen; a platform embedding the page passes a token in the URL fragment (`#token=…`, never sent
 * to a server or kept in its logs), which the page moves to storage and removes from the address.
 * Kept in sessionStorage: it lives as long as the tab and is never a cookie. A third-party iframe
 * may be denied storage altogether (blocked third-party storage): then the page keeps it in memory,
 * which lasts as long as the frame — nothing else is needed to work embedded.
 */
const KEY = 'netplay.token';

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

let fallback: Storage | null = null;

/** sessionStorage when the browser grants it to this document, else memory. */
export function tabStorage(): Storage {
  try {
    const storage = window.sessionStorage;
    storage.getItem(KEY);
    return storage;
  } catch {
    fallback ??= new MemoryStorage();
    return fallback;
  }
}

export function tokenFromFragment(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.trim() ? token.trim() : undefined;
}

export function readToken(storage: Storage = tabStorage()): string | undefined {
  return storage.getItem(KEY) ?? undefined;
}

export function saveToken(token: string, storage: Storage = tabStorage()): void {
  storage.setItem(KEY, token);
}

export function clearToken(storage: Storage = tabStorage()): void {
  storage.removeItem(KEY);
}
