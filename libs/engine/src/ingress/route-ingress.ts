import type { ControllerProfile } from './controller-profiles';
import type { HttpRequest } from './http-request';
import { buildServers, CATCH_ALL, serverForHost, type Location } from './ingress-servers';
import { ingressRef, type Ingress, type IngressBackend } from './ingress-types';
import { bestPath, ingressHostMatches, urlPath } from './match';
import { firstRegexMatch, regexLocations, regexReasons, rewrittenPath } from './nginx-regex';

export interface TlsTermination {
  /** Secret `namespace/name`, or null for the controller's self-signed default certificate. */
  secret: string | null;
  /** The Secret spec.tls names when it is not in the input (the default certificate is served). */
  missingSecret?: string;
  why: string;
}

export type IngressRoute =
  | {
      kind: 'backend';
      ingress: Ingress;
      server: string;
      /** The winning rule path; absent when a defaultBackend answered. */
      location?: Location;
      backend: IngressBackend;
      why: string;
      tls?: TlsTermination;
      /** The URI sent upstream when ingress-nginx's rewrite-target changed it. */
      rewrittenPath?: string;
      /** What the engine could not evaluate on the way (regex paths it does not run). */
      notes?: string[];
    }
  | {
      kind: 'response';
      status: number;
      why: string;
      ingress?: Ingress;
      server: string;
      location?: string;
      tls?: TlsTermination;
      notes?: string[];
    };

const SSL_REDIRECT = 'nginx.ingress.kubernetes.io/ssl-redirect';
const FORCE_SSL_REDIRECT = 'nginx.ingress.kubernetes.io/force-ssl-redirect';

/**
 * The controller's routing decision for one request over the Ingresses it serves (oldest first):
 * virtual host by Host header, TLS certificate by SNI, HTTP→HTTPS redirect, then the longest
 * matching path (Exact over Prefix on ties), the defaultBackend, or the controller's 404.
 */
export function routeIngressRequest(
  profile: ControllerProfile,
  served: Ingress[],
  request: HttpRequest,
  secrets?: ReadonlySet<string>,
): IngressRoute {
  const servers = buildServers(served);
  const server = serverForHost(servers, request.host);
  const path = urlPath(request.path);
  const regex = profile.name === 'nginx' ? regexReasons(server.locations) : [];
  const regexList = regex.length ? regexLocations(server.locations) : [];
  const regexHit = regex.length ? firstRegexMatch(regexList, path) : undefined;
  const location = regex.length
    ? regexHit?.location
    : bestPath(server.locations, path, profile.implementationSpecific);
  const notes = regexList
    .filter((l) => l.problem)
    .map(
      (l) =>
        `ingress-nginx location ~* "^${l.nginxPath}" (Ingress ${ingressRef(l.location.ingress)}) is never matched here: ${l.problem}.`,
    );
  const decidingIngress = location?.ingress ?? server.defaultBackend?.ingress;
  const hostTls = tlsIngressFor(served, request.host);
  const tls = request.scheme === 'https' ? termination(hostTls, request.host, secrets) : undefined;
  const serverName =
    server.hostname === CATCH_ALL
      ? 'the catch-all server (no rule host matched)'
      : `server ${server.hostname}`;

  if (request.scheme === 'http' && decidingIngress) {
    const redirect = redirectStatus(profile, decidingIngress, !!hostTls);
    if (redirect) {
      const target = `https://${request.host}${request.path}`;
      return {
        kind: 'response',
        status: redirect.status,
        why: redirect.why,
        ingress: decidingIngress,
        server: server.hostname,
        location: target,
        notes,
      };
    }
  }
  if (location) {
    const why = regexHit
      ? `${serverName}: ${regex.join(' and ')}, so every location of this host is a case-insensitive regular expression, tried longest first; ~* "^${regexHit.nginxPath}" (${location.pathType} ${location.path} of Ingress ${ingressRef(location.ingress)}) is the first that matches ${path}`
      : `${serverName}: ${location.pathType} ${location.path} of Ingress ${ingressRef(location.ingress)} is the longest matching path${exactNote(server.locations, location, path, profile)}`;
    const query = request.path.includes('?')
      ? request.path.slice(request.path.indexOf('?') + 1)
      : '';
    const rewritten = regexHit ? rewrittenPath(location, path, query) : undefined;
    return {
      kind: 'backend',
      ingress: location.ingress,
      server: server.hostname,
      location,
      backend: location.backend,
      why: rewritten ? `${why}; rewrite-target sends it upstream as ${rewritten}` : why,
      tls,
      ...(rewritten ? { rewrittenPath: rewritten } : {}),
      notes,
    };
  }
  if (server.defaultBackend) {
    const why = `${serverName}: no path matches ${path}; spec.defaultBackend of Ingress ${ingressRef(server.defaultBackend.ingress)} answers`;
    return {
      kind: 'backend',
      ingress: server.defaultBackend.ingress,
      server: server.hostname,
      backend: server.defaultBackend.backend,
      why,
      tls,
      notes,
    };
  }
  const how = regex.length
    ? ` (${regex.join(' and ')}: every location of this host is a case-insensitive regular expression anchored at the start, and none matches)`
    : '';
  const why = server.locations.length
    ? `${serverName}: no path matches ${path}${how} and no defaultBackend is set: the controller's default backend answers 404`
    : `no Ingress rule matches host ${request.host} and no defaultBackend is set: the controller's default backend answers 404`;
  return { kind: 'response', status: 404, why, server: server.hostname, tls, notes };
}

function exactNote(
  locations: Location[],
  winner: Location,
  path: string,
  profile: ControllerProfile,
): string {
  if (winner.pathType !== 'Exact') return '';
  const tiedPrefix = locations.some(
    (l) =>
      l !== winner &&
      l.pathType !== 'Exact' &&
      l.path === winner.path &&
      bestPath([l], path, profile.implementationSpecific),
  );
  return tiedPrefix ? ' (Exact is preferred over Prefix for the same path)' : '';
}

/** The oldest served Ingress with a TLS section listing this host (wildcards cover one label). */
function tlsIngressFor(
  served: Ingress[],
  host: string,
): { ingress: Ingress; secretName?: string } | undefined {
  for (const ingress of served) {
    for (const tls of ingress.tls) {
      if (tls.hosts.some((h) => ingressHostMatches(h, host)))
        return { ingress, secretName: tls.secretName };
    }
  }
  return undefined;
}

function termination(
  hostTls: { ingress: Ingress; secretName?: string } | undefined,
  host: string,
  secrets: ReadonlySet<string> | undefined,
): TlsTermination {
  const secret = hostTls?.secretName ? `${hostTls.ingress.namespace}/${hostTls.secretName}` : '';
  if (hostTls && secret && secrets && !secrets.has(secret)) {
    // controller.go createServers: "Error getting SSL certificate … Using default certificate".
    return {
      secret: null,
      missingSecret: secret,
      why: `SNI ${host}: spec.tls of Ingress ${ingressRef(hostTls.ingress)} names Secret ${secret}, which is not in the input, so the controller serves its default self-signed certificate instead (clients that verify fail)`,
    };
  }
  if (hostTls?.secretName) {
    return {
      secret: `${hostTls.ingress.namespace}/${hostTls.secretName}`,
      why: `SNI ${host}: certificate from Secret ${hostTls.ingress.namespace}/${hostTls.secretName} (spec.tls of Ingress ${ingressRef(hostTls.ingress)})`,
    };
  }
  return {
    secret: null,
    why: `SNI ${host}: no spec.tls entry lists this host, so the controller presents its self-signed default certificate (clients that verify fail)`,
  };
}

/**
 * ingress-nginx redirects plain HTTP with 308 when TLS is configured for the host (`ssl-redirect`
 * defaults to true; annotation `ssl-redirect: "false"` turns it off) and always with
 * `force-ssl-redirect: "true"` (user-guide/nginx-configuration/annotations.md "Server-side HTTPS
 * enforcement through redirect"). Other profiles follow their own defaults.
 */
function redirectStatus(
  profile: ControllerProfile,
  ingress: Ingress,
  hostHasTls: boolean,
): { status: number; why: string } | null {
  if (profile.name === 'nginx' && ingress.annotations[FORCE_SSL_REDIRECT] === 'true') {
    return {
      status: 308,
      why: `Ingress ${ingressRef(ingress)} sets ${FORCE_SSL_REDIRECT}: "true": plain HTTP is redirected to HTTPS with 308`,
    };
  }
  if (!hostHasTls || profile.tlsRedirectStatus === null) return null;
  if (profile.name === 'nginx' && ingress.annotations[SSL_REDIRECT] === 'false') return null;
  return {
    status: profile.tlsRedirectStatus,
    why: `TLS is configured for this host, so ${profile.product} redirects plain HTTP to HTTPS with ${profile.tlsRedirectStatus}`,
  };
}
