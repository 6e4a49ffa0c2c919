/**
 * The page's addresses. Everything under `/embed/<tenantId>/…` is the same screen without the
 * header, for training platforms' iframes (the tenant id lets the server send that tenant's
 * `frame-ancestors`). A share link opens a sandbox revision read-only at a probe's trace.
 */
export interface ProbeQuery {
  from: string;
  to: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  host?: string;
}

export type Screen =
  | { name: 'home' }
  | { name: 'sandbox'; sandboxId: string }
  | { name: 'share'; sandboxId: string; version: number }
  | { name: 'exercise'; exerciseId: string }
  | { name: 'not-found' };

export interface Route {
  screen: Screen;
  embed: boolean;
  tenantId?: string;
  probe?: ProbeQuery;
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

export function probeFromQuery(params: URLSearchParams): ProbeQuery | undefined {
  const from = params.get('from');
  const to = params.get('to');
  if (!from || !to) return undefined;
  const protocol = params.get('protocol') ?? undefined;
  const host = params.get('host') ?? undefined;
  return {
    from,
    to,
    ...(protocol && PROTOCOLS.has(protocol)
      ? { protocol: protocol as ProbeQuery['protocol'] }
      : {}),
    ...(host ? { host } : {}),
  };
}

export function probeQueryString(probe: ProbeQuery): string {
  const params = new URLSearchParams({ from: probe.from, to: probe.to });
  if (probe.protocol && probe.protocol !== 'TCP') params.set('protocol', probe.protocol);
  if (probe.host) params.set('host', probe.host);
  return params.toString();
}

function screenOf(segments: string[]): Screen {
  const [first, second, third] = segments;
  if (segments.length === 0) return { name: 'home' };
  if (first === 'sandboxes' && second && segments.length === 2)
    return { name: 'sandbox', sandboxId: second };
  if (first === 'share' && second && third && /^\d+$/.test(third) && segments.length === 3)
    return { name: 'share', sandboxId: second, version: Number(third) };
  if (first === 'exercises' && second && segments.length === 2)
    return { name: 'exercise', exerciseId: second };
  return { name: 'not-found' };
}

export function parseRoute(pathname: string, search: string): Route {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const probe = probeFromQuery(new URLSearchParams(search));
  const withProbe = probe ? { probe } : {};
  if (segments[0] === 'embed') {
    const tenantId = segments[1];
    return {
      screen: screenOf(segments.slice(2)),
      embed: true,
      ...(tenantId ? { tenantId } : {}),
      ...withProbe,
    };
  }
  return { screen: screenOf(segments), embed: false, ...withProbe };
}

/** A path inside the current frame: embedded pages link to embedded pages. */
export function pathFor(route: Pick<Route, 'embed' | 'tenantId'>, path: string): string {
  return route.embed ? `/embed/${encodeURIComponent(route.tenantId ?? '-')}${path}` : path;
}

export function shareLink(
  origin: string,
  route: Pick<Route, 'embed' | 'tenantId'>,
  sandboxId: string,
  version: number,
  probe: ProbeQuery | undefined,
): string {
  const path = pathFor(route, `/share/${encodeURIComponent(sandboxId)}/${version}`);
  return `${origin}${path}${probe ? `?${probeQueryString(probe)}` : ''}`;
}

/** A share link that anyone can open: the revision's read-only token in the fragment. */
export function withShareToken(link: string, token: string): string {
  return `${link.split('#')[0]}#token=${encodeURIComponent(token)}`;
}
