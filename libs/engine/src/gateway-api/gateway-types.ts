/** Gateway API (gateway.networking.k8s.io/v1) objects as the engine reads them. */
import type { LabelSelector } from '../model/resources';

export interface GatewayClass {
  name: string;
  controllerName: string;
}

export interface Listener {
  name: string;
  protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP';
  port: number;
  hostname?: string;
  /** allowedRoutes.namespaces.from (default Same). */
  from: 'Same' | 'All' | 'Selector';
  selector?: LabelSelector;
}

export interface Gateway {
  namespace: string;
  name: string;
  doc: number;
  file?: string;
  className: string;
  listeners: Listener[];
  order: number;
}

export interface ParentRef {
  /** `Gateway` (the default) or `Service` (GAMMA: a route for mesh traffic to that Service). */
  kind: string;
  /** `gateway.networking.k8s.io` by default; `""` (core) for a Service parent. */
  group: string;
  name: string;
  namespace?: string;
  sectionName?: string;
  port?: number;
}

export type PathMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression';
export type ValueMatchType = 'Exact' | 'RegularExpression';

export interface RouteMatch {
  path: { type: PathMatchType; value: string };
  headers: { type: ValueMatchType; name: string; value: string }[];
  queryParams: { type: ValueMatchType; name: string; value: string }[];
  method?: string;
}

export interface BackendRef {
  name: string;
  namespace?: string;
  port?: number;
  weight: number;
}

export interface RouteRule {
  /** Never empty: a rule without matches gets the default `PathPrefix /`. */
  matches: RouteMatch[];
  backendRefs: BackendRef[];
}

export interface HttpRoute {
  namespace: string;
  name: string;
  doc: number;
  file?: string;
  parentRefs: ParentRef[];
  hostnames: string[];
  rules: RouteRule[];
  order: number;
}

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** A parentRef naming a Gateway (kind and group defaulted as the CRD does). */
export function isGatewayParent(ref: ParentRef): boolean {
  return ref.kind === 'Gateway' && ref.group === GATEWAY_GROUP;
}

/** A GAMMA parentRef: the route configures mesh traffic to a Service, not a Gateway. */
export function isServiceParent(ref: ParentRef): boolean {
  return ref.kind === 'Service' && (ref.group === '' || ref.group === 'core');
}

export function refOf(object: { namespace: string; name: string }): string {
  return `${object.namespace}/${object.name}`;
}
