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
    host: hostWithoutPort(spec.host ?? target.host).toLowerCase(),
    path: target.path,
    method: (spec.method ?? 'GET').toUpperCase(),
    headers,
  };
}

/**
 * The host part of a Host header (`Host = uri-host [ ":" port ]`, RFC 9110 section 7.2).
 * Virtual-host routing ignores the port: nginx's server_name match strips it, and Gateway API
 * implementations match `hostnames` against the host without it (the Ingress spec's `host` is
 * a name, never a name with a port).
 */
export function hostWithoutPort(host: string): string {
  const text = host.trim();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end < 0 ? text : text.slice(0, end + 1);
  }
  const colon = text.indexOf(':');
  return colon >= 0 && colon === text.lastIndexOf(':') && /^\d*$/.test(text.slice(colon + 1))
    ? text.slice(0, colon)
    : text;
}
