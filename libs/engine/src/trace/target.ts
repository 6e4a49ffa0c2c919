import { isIPv4 } from '../util/ip';

/** What a probe's `to` names: where to connect, and (for URLs) what the client sends first. */
export interface ProbeTarget {
  host: string;
  port: number;
  scheme?: 'http' | 'https';
  path: string;
  isIP: boolean;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };
const HOST = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9.])?$/;

/** Parses `http://host[:port][/path]`, `https://…`, `host:port`, or a bare host (port 80). */
export function parseTarget(
  to: string,
): { ok: true; target: ProbeTarget } | { ok: false; message: string } {
  const text = to.trim();
  let scheme: ProbeTarget['scheme'];
  let rest = text;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (schemeMatch) {
    const name = schemeMatch[1].toLowerCase();
    if (name !== 'http' && name !== 'https')
      return {
        ok: false,
        message: `unsupported scheme "${name}://" (use http://, https:// or host:port)`,
      };
    scheme = name;
    rest = text.slice(schemeMatch[0].length);
  }
  const slash = rest.search(/[/?#]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '/' : rest.slice(slash);
  if (!path.startsWith('/')) path = `/${path}`;
  if (authority.startsWith('['))
    return { ok: false, message: 'IPv6 destinations are not simulated (the cluster is IPv4-only)' };
  const at = authority.lastIndexOf('@');
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = hostPort.lastIndexOf(':');
  const host = (colon >= 0 ? hostPort.slice(0, colon) : hostPort).toLowerCase();
  let port = scheme ? DEFAULT_PORTS[scheme] : 80;
  if (colon >= 0) {
    const portText = hostPort.slice(colon + 1);
    if (!/^\d{1,5}$/.test(portText) || +portText < 1 || +portText > 65535)
      return { ok: false, message: `invalid port "${portText}" in "${to}"` };
    port = +portText;
  }
  if (!host || !HOST.test(host)) return { ok: false, message: `invalid destination "${to}"` };
  return { ok: true, target: { host, port, scheme, path, isIP: isIPv4(host) } };
}
