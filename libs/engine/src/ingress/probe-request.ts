import type { ProbeSpec } from '../trace/probe-spec';
import type { ProbeTarget } from '../trace/target';
import type { HttpRequest } from './http-request';

/**
 * The HTTP request a URL probe sends: Host from `spec.host` (curl's `-H Host:` / `--resolve`
 * when the URL names an IP) or the URL's host; GET unless `spec.method` says otherwise.
 */
export function httpRequestFor(spec: ProbeSpec, target: ProbeTarget): HttpRequest | undefined {
  if (!target.scheme) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {}))
    headers[name.toLowerCase()] = value;
  return {
    scheme: target.scheme,
    host: (spec.host ?? target.host).toLowerCase(),
    path: target.path,
    method: (spec.method ?? 'GET').toUpperCase(),
    headers,
  };
}
