import type { Ingress, IngressBackend, PathType } from './ingress-types';
import { ingressHostMatches } from './match';

/** One `location` of a controller's virtual host: a rule path of one Ingress. */
export interface Location {
  ingress: Ingress;
  host?: string;
  path: string;
  pathType: PathType;
  backend: IngressBackend;
  ruleIndex: number;
  pathIndex: number;
}

/** A virtual host: the merge of every served Ingress's rules for one hostname (`_` = any host). */
export interface VirtualServer {
  hostname: string;
  locations: Location[];
  /** The Ingress whose defaultBackend answers paths no location matches; absent = the controller's 404. */
  defaultBackend?: { ingress: Ingress; backend: IngressBackend };
  /** Later Ingresses' paths dropped because an older Ingress already defines the same path and type. */
  conflicts: string[];
}

export const CATCH_ALL = '_';

/**
 * ingress-nginx's merge (internal/ingress/controller/controller.go createServers/getBackendServers):
 * rules of all Ingresses are grouped by host; for the same host, path and pathType the oldest
 * Ingress wins. A host server's unmatched paths go to the defaultBackend of the Ingress that first
 * defined the host ("use backend specified in Ingress as the default backend for all its rules");
 * the catch-all server `_` takes the oldest Ingress defaultBackend. Ingresses arrive oldest first.
 */
export function buildServers(served: Ingress[]): Map<string, VirtualServer> {
  const servers = new Map<string, VirtualServer>();
  const serverFor = (hostname: string, ingress: Ingress): VirtualServer => {
    let server = servers.get(hostname);
    if (!server) {
      server = { hostname, locations: [], conflicts: [] };
      if (ingress.defaultBackend)
        server.defaultBackend = { ingress, backend: ingress.defaultBackend };
      servers.set(hostname, server);
    }
    return server;
  };
  const catchAll: VirtualServer = { hostname: CATCH_ALL, locations: [], conflicts: [] };
  servers.set(CATCH_ALL, catchAll);
  for (const ingress of served) {
    if (ingress.defaultBackend && !catchAll.defaultBackend)
      catchAll.defaultBackend = { ingress, backend: ingress.defaultBackend };
    ingress.rules.forEach((rule, ruleIndex) => {
      const server = rule.host === undefined ? catchAll : serverFor(rule.host, ingress);
      rule.paths.forEach((p, pathIndex) => {
        const existing = server.locations.find(
          (l) => l.path === p.path && l.pathType === p.pathType,
        );
        if (existing) {
          if (existing.ingress !== ingress)
            server.conflicts.push(
              `${ingress.namespace}/${ingress.name} ${p.pathType} ${p.path} (kept ${existing.ingress.namespace}/${existing.ingress.name})`,
            );
          return;
        }
        server.locations.push({
          ingress,
          host: rule.host,
          path: p.path,
          pathType: p.pathType,
          backend: p.backend,
          ruleIndex,
          pathIndex,
        });
      });
    });
  }
  return servers;
}

/**
 * The virtual host for a Host header: an exact hostname first, then a wildcard `*.domain` (one
 * label, as ingress-nginx renders wildcard server_names as a one-label regex), then `_`.
 */
export function serverForHost(servers: Map<string, VirtualServer>, host: string): VirtualServer {
  const exact = servers.get(host.toLowerCase());
  if (exact && exact.hostname !== CATCH_ALL) return exact;
  let best: VirtualServer | undefined;
  for (const server of servers.values()) {
    if (!server.hostname.startsWith('*.') || !ingressHostMatches(server.hostname, host)) continue;
    if (!best || server.hostname.length > best.hostname.length) best = server;
  }
  return best ?? (servers.get(CATCH_ALL) as VirtualServer);
}
