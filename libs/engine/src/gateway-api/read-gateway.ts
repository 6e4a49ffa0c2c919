import { FieldReader, joinPath, type JsonObject } from '../manifests/field-reader';
import { readLabelSelector } from '../manifests/read-selector';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import type { StoredObject } from '../model/resources';
import {
  GATEWAY_GROUP,
  type BackendRef,
  type Gateway,
  type GatewayClass,
  type HttpRoute,
  type Listener,
  type ParentRef,
  type RouteMatch,
  type RouteRule,
} from './gateway-types';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'] as const;
const PATH_TYPES = ['Exact', 'PathPrefix', 'RegularExpression'] as const;
const VALUE_TYPES = ['Exact', 'RegularExpression'] as const;
const FROM = ['Same', 'All', 'Selector'] as const;

export interface GatewayObjects {
  classes: GatewayClass[];
  gateways: Gateway[];
  routes: HttpRoute[];
  issues: EngineIssue[];
}

/** Every GatewayClass, Gateway and HTTPRoute of the stored objects, in creation order, with validation issues. */
export function readGatewayObjects(objects: StoredObject[]): GatewayObjects {
  const out: GatewayObjects = { classes: [], gateways: [], routes: [], issues: [] };
  objects.forEach((object, order) => {
    if (object.kind !== 'GatewayClass' && object.kind !== 'Gateway' && object.kind !== 'HTTPRoute')
      return;
    const context = {
      ...locationFields(object),
      object: objectRef(object.kind, object.namespace, object.name),
    };
    const r = new FieldReader(context, out.issues);
    const spec = r.object(object.body, 'spec', '') ?? {};
    const namespace = object.namespace ?? 'default';
    if (object.kind === 'GatewayClass') {
      const controllerName = r.string(spec, 'controllerName', 'spec');
      if (!controllerName) r.error('MISSING_FIELD', 'spec.controllerName', 'Required value');
      out.classes.push({ name: object.name, controllerName: controllerName ?? '' });
    } else if (object.kind === 'Gateway') {
      const className = r.string(spec, 'gatewayClassName', 'spec');
      if (!className) r.error('MISSING_FIELD', 'spec.gatewayClassName', 'Required value');
      const listeners = r
        .objects(spec, 'listeners', 'spec')
        .map(([l, path]) => readListener(r, l, path));
      if (!listeners.length)
        r.error('MISSING_FIELD', 'spec.listeners', 'Required value: at least one listener');
      out.gateways.push({
        namespace,
        name: object.name,
        ...location(object),
        className: className ?? '',
        listeners: listeners.filter((l): l is Listener => !!l),
        order,
      });
    } else {
      const parentRefs = r.objects(spec, 'parentRefs', 'spec').map(([p, path]) => {
        const name = r.string(p, 'name', path) ?? '';
        if (!name) r.error('MISSING_FIELD', joinPath(path, 'name'), 'Required value');
        const ref: ParentRef = {
          kind: r.string(p, 'kind', path) ?? 'Gateway',
          group: r.string(p, 'group', path) ?? GATEWAY_GROUP,
          name,
          namespace: r.string(p, 'namespace', path),
          sectionName: r.string(p, 'sectionName', path),
          port: r.integer(p, 'port', path),
        };
        return ref;
      });
      const rules = r
        .objects(spec, 'rules', 'spec')
        .map(([rule, path]) => readRule(r, rule, path, namespace));
      if (!rules.length) rules.push({ matches: [defaultMatch()], backendRefs: [] });
      out.routes.push({
        namespace,
        name: object.name,
        ...location(object),
        parentRefs,
        hostnames: r.strings(spec, 'hostnames', 'spec').map((h) => h.toLowerCase()),
        rules,
        order,
      });
    }
  });
  return out;
}

function location(object: StoredObject): { doc: number; file?: string } {
  return { doc: object.doc, ...(object.file !== undefined ? { file: object.file } : {}) };
}

function readListener(r: FieldReader, raw: JsonObject, path: string): Listener | undefined {
  const name = r.string(raw, 'name', path);
  const protocol = r.oneOf(raw, 'protocol', path, PROTOCOLS);
  const port = r.integer(raw, 'port', path);
  if (!name || !protocol || port === undefined) {
    r.error('MISSING_FIELD', path, 'Required value: name, protocol and port');
    return undefined;
  }
  const listener: Listener = { name, protocol, port, from: 'Same' };
  const hostname = r.string(raw, 'hostname', path);
  if (hostname) listener.hostname = hostname.toLowerCase();
  const allowed = r.object(raw, 'allowedRoutes', path);
  const namespaces = allowed
    ? r.object(allowed, 'namespaces', joinPath(path, 'allowedRoutes'))
    : undefined;
  if (namespaces) {
    const nsPath = joinPath(path, 'allowedRoutes.namespaces');
    listener.from = r.oneOf(namespaces, 'from', nsPath, FROM) ?? 'Same';
    if (listener.from === 'Selector')
      listener.selector = readLabelSelector(r, namespaces, 'selector', nsPath) ?? {
        matchLabels: {},
        matchExpressions: [],
      };
  }
  return listener;
}

function defaultMatch(): RouteMatch {
  return { path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] };
}

function readRule(r: FieldReader, raw: JsonObject, path: string, namespace: string): RouteRule {
  const matches = r.objects(raw, 'matches', path).map(([m, mPath]): RouteMatch => {
    const match = defaultMatch();
    const p = r.object(m, 'path', mPath);
    if (p)
      match.path = {
        type: r.oneOf(p, 'type', joinPath(mPath, 'path'), PATH_TYPES) ?? 'PathPrefix',
        value: r.string(p, 'value', joinPath(mPath, 'path')) ?? '/',
      };
    for (const key of ['headers', 'queryParams'] as const) {
      match[key] = r.objects(m, key, mPath).map(([h, hPath]) => ({
        type: r.oneOf(h, 'type', hPath, VALUE_TYPES) ?? 'Exact',
        name: r.string(h, 'name', hPath) ?? '',
        value: r.string(h, 'value', hPath) ?? '',
      }));
    }
    const method = r.string(m, 'method', mPath);
    if (method) match.method = method.toUpperCase();
    return match;
  });
  const backendRefs = r.objects(raw, 'backendRefs', path).map(([b, bPath]): BackendRef => ({
    name: r.string(b, 'name', bPath) ?? '',
    namespace: r.string(b, 'namespace', bPath) ?? namespace,
    port: r.integer(b, 'port', bPath),
    weight: r.integer(b, 'weight', bPath) ?? 1,
  }));
  return { matches: matches.length ? matches : [defaultMatch()], backendRefs };
}
