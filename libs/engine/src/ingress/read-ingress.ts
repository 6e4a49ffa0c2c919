import { FieldReader, isObject, joinPath, type JsonObject } from '../manifests/field-reader';
import { nameProblem, portNameProblem } from '../manifests/validate-names';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import type { StoredObject } from '../model/resources';
import { isIPv4 } from '../util/ip';
import {
  DEFAULT_CLASS_ANNOTATION,
  LEGACY_CLASS_ANNOTATION,
  type Ingress,
  type IngressBackend,
  type IngressClass,
  type IngressPath,
  type IngressRule,
  type IngressTls,
  type PathType,
} from './ingress-types';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'] as const;

function readerFor(object: StoredObject, issues: EngineIssue[]): FieldReader {
  const context = {
    ...locationFields(object),
    object: objectRef(object.kind, object.namespace, object.name),
  };
  return new FieldReader(context, issues);
}

function annotationsOf(body: JsonObject): Record<string, string> {
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const raw = isObject(metadata.annotations) ? metadata.annotations : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * An Ingress with the API server's validation (pkg/apis/networking/validation/validation.go):
 * hosts are DNS subdomains, a wildcard only as the whole first label, never an IP; paths start with
 * `/`; pathType is required; a backend names a service or a resource, not both; an Ingress without
 * rules needs a defaultBackend.
 */
export function readIngress(
  object: StoredObject,
  order: number,
): { ingress: Ingress; issues: EngineIssue[] } {
  const issues: EngineIssue[] = [];
  const r = readerFor(object, issues);
  const spec = r.object(object.body, 'spec', '') ?? {};
  const annotations = annotationsOf(object.body);
  const ingress: Ingress = {
    namespace: object.namespace ?? 'default',
    name: object.name,
    annotations,
    rules: [],
    tls: [],
    order,
  };
  const className = r.string(spec, 'ingressClassName', 'spec');
  if (className !== undefined) ingress.ingressClassName = className;
  if (annotations[LEGACY_CLASS_ANNOTATION] !== undefined) {
    ingress.classAnnotation = annotations[LEGACY_CLASS_ANNOTATION];
    // validation.go: setting both to different values is refused.
    if (className !== undefined && className !== ingress.classAnnotation) {
      r.error(
        'INVALID_FIELD',
        'spec.ingressClassName',
        `Invalid value: "${className}": can not be set when the class field is also set in the "${LEGACY_CLASS_ANNOTATION}" annotation`,
      );
    }
  }
  if (spec.defaultBackend !== undefined)
    ingress.defaultBackend = readBackend(r, spec, 'defaultBackend', 'spec');
  for (const [rule, path] of r.objects(spec, 'rules', 'spec'))
    ingress.rules.push(readRule(r, rule, path));
  if (!ingress.rules.length && !ingress.defaultBackend)
    r.error(
      'MISSING_FIELD',
      'spec',
      'Required value: either `defaultBackend` or `rules` must be specified',
    );
  for (const [tls, path] of r.objects(spec, 'tls', 'spec')) {
    const entry: IngressTls = { hosts: r.strings(tls, 'hosts', path) };
    entry.hosts.forEach((host, i) => checkHost(r, host, joinPath(joinPath(path, 'hosts'), i)));
    const secretName = r.string(tls, 'secretName', path);
    if (secretName !== undefined) entry.secretName = secretName;
    ingress.tls.push(entry);
  }
  return { ingress, issues };
}

function readRule(r: FieldReader, raw: JsonObject, path: string): IngressRule {
  const rule: IngressRule = { paths: [] };
  const host = r.string(raw, 'host', path);
  if (host !== undefined && host !== '') {
    checkHost(r, host, joinPath(path, 'host'));
    rule.host = host.toLowerCase();
  }
  const http = r.object(raw, 'http', path);
  if (!http) return rule;
  const httpPath = joinPath(path, 'http');
  const items = r.objects(http, 'paths', httpPath);
  if (!items.length) r.error('MISSING_FIELD', joinPath(httpPath, 'paths'), 'Required value');
  for (const [item, itemPath] of items) {
    const pathType = r.oneOf(item, 'pathType', itemPath, PATH_TYPES);
    if (item.pathType === undefined)
      r.error(
        'MISSING_FIELD',
        joinPath(itemPath, 'pathType'),
        `Required value: pathType must be specified (supported values: ${PATH_TYPES.map((t) => `"${t}"`).join(', ')})`,
      );
    const value = r.string(item, 'path', itemPath);
    const backend = readBackend(r, item, 'backend', itemPath);
    if (value === undefined && pathType !== 'ImplementationSpecific')
      r.error(
        'MISSING_FIELD',
        joinPath(itemPath, 'path'),
        'Required value: must be an absolute path',
      );
    else if (value !== undefined && !value.startsWith('/'))
      r.error(
        'INVALID_FIELD',
        joinPath(itemPath, 'path'),
        `Invalid value: "${value}": must be an absolute path`,
      );
    if (!pathType || !backend) continue;
    const entry: IngressPath = { path: value ?? '/', pathType: pathType as PathType, backend };
    rule.paths.push(entry);
  }
  return rule;
}

function readBackend(
  r: FieldReader,
  holder: JsonObject,
  key: string,
  path: string,
): IngressBackend | undefined {
  const raw = r.object(holder, key, path);
  const at = joinPath(path, key);
  if (!raw) {
    r.error('MISSING_FIELD', at, 'Required value');
    return undefined;
  }
  const service = r.object(raw, 'service', at);
  const resource = r.object(raw, 'resource', at);
  if (service && resource) {
    r.error(
      'INVALID_FIELD',
      joinPath(at, 'resource'),
      'Invalid value: cannot set both resource and service backends',
    );
    return undefined;
  }
  if (resource) {
    const kind = r.string(resource, 'kind', joinPath(at, 'resource'));
    const name = r.string(resource, 'name', joinPath(at, 'resource'));
    if (!kind || !name) {
      r.error('MISSING_FIELD', joinPath(at, 'resource'), 'Required value: kind and name');
      return undefined;
    }
    const apiGroup = r.string(resource, 'apiGroup', joinPath(at, 'resource'));
    return { resource: { kind, name, ...(apiGroup !== undefined ? { apiGroup } : {}) } };
  }
  if (!service) {
    r.error('MISSING_FIELD', at, 'Required value: one of `service` or `resource`');
    return undefined;
  }
  const servicePath = joinPath(at, 'service');
  const name = r.string(service, 'name', servicePath);
  if (!name) r.error('MISSING_FIELD', joinPath(servicePath, 'name'), 'Required value');
  const port = r.object(service, 'port', servicePath) ?? {};
  const portPath = joinPath(servicePath, 'port');
  const number = r.integer(port, 'number', portPath);
  const portName = r.string(port, 'name', portPath);
  if (number !== undefined && portName !== undefined)
    r.error('INVALID_FIELD', portPath, 'Invalid value: cannot set both port name & port number');
  else if (number === undefined && portName === undefined)
    r.error('MISSING_FIELD', portPath, 'Required value: port name or number is required');
  if (number !== undefined && (number < 1 || number > 65535))
    r.error(
      'INVALID_FIELD',
      joinPath(portPath, 'number'),
      `Invalid value: ${number}: must be between 1 and 65535, inclusive`,
    );
  if (portName !== undefined) {
    const problem = portNameProblem(portName);
    if (problem)
      r.error(
        'INVALID_FIELD',
        joinPath(portPath, 'name'),
        `Invalid value: "${portName}": ${problem}`,
      );
  }
  if (!name) return undefined;
  return { service: { name, port: number !== undefined ? { number } : { name: portName } } };
}

/** validation.go validateIngressRules: a DNS subdomain, `*.` only as the first label, never an IP. */
function checkHost(r: FieldReader, host: string, path: string): void {
  if (isIPv4(host) || host.includes(':')) {
    r.error(
      'INVALID_FIELD',
      path,
      `Invalid value: "${host}": must be a DNS name, not an IP address`,
    );
    return;
  }
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (bare.includes('*')) {
    r.error(
      'INVALID_FIELD',
      path,
      `Invalid value: "${host}": a wildcard DNS-1123 subdomain must start with '*.' followed by a valid DNS subdomain`,
    );
    return;
  }
  const problem = nameProblem(bare, 'dns1123-subdomain');
  if (problem) r.error('INVALID_FIELD', path, `Invalid value: "${host}": ${problem}`);
}

/** IngressClass: `spec.controller` is required; the default-class annotation marks the class admission assigns. */
export function readIngressClass(
  object: StoredObject,
  order: number,
): { ingressClass: IngressClass; issues: EngineIssue[] } {
  const issues: EngineIssue[] = [];
  const r = readerFor(object, issues);
  const spec = r.object(object.body, 'spec', '') ?? {};
  const controller = r.string(spec, 'controller', 'spec');
  if (!controller) r.error('MISSING_FIELD', 'spec.controller', 'Required value');
  const isDefault = annotationsOf(object.body)[DEFAULT_CLASS_ANNOTATION] === 'true';
  return {
    ingressClass: { name: object.name, controller: controller ?? '', isDefault, order },
    issues,
  };
}

/**
 * TLS sections naming a Secret that is not among the objects: the controller cannot load the
 * certificate and serves its default self-signed one for those hosts (ingress-nginx:
 * "Error getting SSL certificate … Using default certificate").
 */
export function missingTlsSecrets(objects: StoredObject[]): EngineIssue[] {
  const secrets = new Set(
    objects
      .filter((o) => o.kind === 'Secret' && o.apiVersion === 'v1')
      .map((o) => `${o.namespace ?? 'default'}/${o.name}`),
  );
  const issues: EngineIssue[] = [];
  for (const object of objects) {
    if (object.kind !== 'Ingress') continue;
    const { ingress } = readIngress(object, 0);
    ingress.tls.forEach((tls, i) => {
      const secret = `${ingress.namespace}/${tls.secretName}`;
      if (!tls.secretName || secrets.has(secret)) return;
      readerFor(object, issues).warn(
        'REFERENCE_NOT_FOUND',
        `spec.tls[${i}].secretName`,
        `Secret ${secret} is not in the input: the controller serves its default self-signed certificate for ${tls.hosts.join(', ') || 'these hosts'} (clients that verify fail)`,
      );
    });
  }
  return issues;
}

/** Every Ingress and IngressClass of the stored objects, in creation order, with their validation issues. */
export function readIngressObjects(objects: StoredObject[]): {
  ingresses: Ingress[];
  classes: IngressClass[];
  issues: EngineIssue[];
} {
  const ingresses: Ingress[] = [];
  const classes: IngressClass[] = [];
  const issues: EngineIssue[] = [];
  objects.forEach((object, order) => {
    if (object.kind === 'Ingress') {
      const read = readIngress(object, order);
      ingresses.push(read.ingress);
      issues.push(...read.issues);
    } else if (object.kind === 'IngressClass') {
      const read = readIngressClass(object, order);
      classes.push(read.ingressClass);
      issues.push(...read.issues);
    }
  });
  return { ingresses, classes, issues };
}
