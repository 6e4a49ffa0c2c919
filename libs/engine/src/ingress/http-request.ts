/** An HTTP request as an ingress controller or Gateway sees it after accepting the connection. */
export interface HttpRequest {
  scheme: 'http' | 'https';
  /** Host header (and SNI name for https), lower-case, without port. */
  host: string;
  /** Path with query string, as sent. */
  path: string;
  method: string;
  headers: Record<string, string>;
}

/** `?a=1&b=2` → {a: '1', b: '2'}; the first value of a repeated parameter wins, as Gateway API allows. */
export function queryParams(path: string): Record<string, string> {
  const at = path.indexOf('?');
  const out: Record<string, string> = {};
  if (at < 0) return out;
  for (const part of path
    .slice(at + 1)
    .split('#')[0]
    .split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    if (!(name in out)) out[name] = value;
  }
  return out;
}
