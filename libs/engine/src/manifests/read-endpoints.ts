import type {
  Endpoint,
  EndpointConditions,
  EndpointPort,
  EndpointSlice,
  Protocol,
} from '../model/resources';
import { fieldSet, FieldReader, joinPath, type JsonObject } from './field-reader';
import { manifestMeta } from './object-meta';
import { checkIPv4 } from './read-ip-fields';
import type { ReadMeta } from './read-metadata';
import { PROTOCOLS } from './read-service';
import { portNumberProblem } from './validate-names';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
/** An Endpoints object with this label set to "true" is never mirrored (discovery/v1 LabelSkipMirror). */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

const SLICE_FIELDS = fieldSet(
  'apiVersion',
  'kind',
  'metadata',
  'addressType',
  'endpoints',
  'ports',
);
const ENDPOINT_FIELDS = fieldSet(
  'addresses',
  'conditions',
  'hostname',
  'targetRef',
  'nodeName',
  'zone',
  'hints',
  'deprecatedTopology',
);
const PORT_FIELDS = fieldSet('name', 'port', 'protocol', 'appProtocol');
const ENDPOINTS_FIELDS = fieldSet('apiVersion', 'kind', 'metadata', 'subsets');
const SUBSET_FIELDS = fieldSet('addresses', 'notReadyAddresses', 'ports');
const ADDRESS_FIELDS = fieldSet('ip', 'hostname', 'nodeName', 'targetRef');

/**
 * A user-written discovery.k8s.io/v1 EndpointSlice. It belongs to the Service named by its
 * `kubernetes.io/service-name` label; without it, it belongs to no Service (a warning).
 * Conditions default as the API documents them: ready nil ⇒ true, serving nil ⇒ ready,
 * terminating nil ⇒ false (discovery/v1 types.go EndpointConditions).
 */
export function readEndpointSlice(r: FieldReader, raw: JsonObject, meta: ReadMeta): EndpointSlice {
  r.unknownFields(raw, '', SLICE_FIELDS);
  const serviceName = meta.labels[SERVICE_NAME_LABEL] ?? '';
  if (!serviceName)
    r.warn(
      'MISSING_FIELD',
      `metadata.labels`,
      `no "${SERVICE_NAME_LABEL}" label: this EndpointSlice belongs to no Service`,
    );
  const addressType = r.oneOf(raw, 'addressType', '', ['IPv4', 'IPv6', 'FQDN'] as const);
  if (raw.addressType === undefined) r.error('MISSING_FIELD', 'addressType', 'Required value');
  if (addressType === 'IPv6')
    r.warn(
      'UNSUPPORTED',
      'addressType',
      'IPv6 endpoints are not simulated: the cluster is single-stack IPv4',
    );
  const endpoints: Endpoint[] = [];
  for (const [item, path] of r.objects(raw, 'endpoints', '')) {
    r.unknownFields(item, path, ENDPOINT_FIELDS);
    const addresses = r.strings(item, 'addresses', path);
    if (addresses.length === 0)
      r.error(
        'MISSING_FIELD',
        `${path}.addresses`,
        'Required value: must contain at least 1 address',
      );
    if (addressType === 'IPv4')
      addresses.forEach((a, i) => checkIPv4(r, a, `${path}.addresses[${i}]`));
    const endpoint: Endpoint = { addresses, conditions: readConditions(r, item, path) };
    for (const field of ['hostname', 'nodeName', 'zone'] as const) {
      const value = r.string(item, field, path);
      if (value) endpoint[field] = value;
    }
    const targetRef = readTargetRef(r, item, path, meta.namespace);
    if (targetRef) endpoint.targetRef = targetRef;
    const hints = readHints(r, item, path);
    if (hints) endpoint.hints = hints;
    endpoints.push(endpoint);
  }
  const ports: EndpointPort[] = [];
  for (const [item, path] of r.objects(raw, 'ports', '')) {
    r.unknownFields(item, path, PORT_FIELDS);
    const port = readEndpointPort(r, item, path);
    if (port) ports.push(port);
  }
  const managedBy = meta.labels[MANAGED_BY_LABEL] ?? '';
  return {
    ...manifestMeta(meta, r.context),
    serviceName,
    addressType: addressType ?? 'IPv4',
    ports,
    endpoints,
    managedBy,
  };
}

/**
 * Legacy v1 Endpoints, converted the way the endpointslicemirroring controller does: one slice per
 * subset, ready addresses ready, `notReadyAddresses` not ready. The real controller names slices
 * `<name>-<5 random chars>`; the reader may not draw randomness, so they are named `<name>-mirror`
 * (`-mirror-2`, … for further subsets). Whether they are mirrored at all is decided on apply
 * (controllers/mirror-endpoints.ts): only for an existing Service without a selector.
 */
export function readEndpoints(r: FieldReader, raw: JsonObject, meta: ReadMeta): EndpointSlice[] {
  r.unknownFields(raw, '', ENDPOINTS_FIELDS);
  const slices: EndpointSlice[] = [];
  for (const [subset, path] of r.objects(raw, 'subsets', '')) {
    r.unknownFields(subset, path, SUBSET_FIELDS);
    const endpoints: Endpoint[] = [];
    for (const [key, ready] of [
      ['addresses', true],
      ['notReadyAddresses', false],
    ] as const) {
      for (const [address, addressPath] of r.objects(subset, key, path)) {
        r.unknownFields(address, addressPath, ADDRESS_FIELDS);
        const ip = r.string(address, 'ip', addressPath);
        if (!ip) {
          r.error('MISSING_FIELD', `${addressPath}.ip`, 'Required value');
          continue;
        }
        if (!checkIPv4(r, ip, `${addressPath}.ip`)) continue;
        const endpoint: Endpoint = {
          addresses: [ip],
          conditions: { ready, serving: ready, terminating: false },
        };
        const hostname = r.string(address, 'hostname', addressPath);
        if (hostname) endpoint.hostname = hostname;
        const nodeName = r.string(address, 'nodeName', addressPath);
        if (nodeName) endpoint.nodeName = nodeName;
        const targetRef = readTargetRef(r, address, addressPath, meta.namespace);
        if (targetRef) endpoint.targetRef = targetRef;
        endpoints.push(endpoint);
      }
    }
    const ports: EndpointPort[] = [];
    for (const [item, portPath] of r.objects(subset, 'ports', path)) {
      r.unknownFields(item, portPath, PORT_FIELDS);
      const port = readEndpointPort(r, item, portPath);
      if (port) ports.push(port);
    }
    const name =
      slices.length === 0 ? `${meta.name}-mirror` : `${meta.name}-mirror-${slices.length + 1}`;
    const labels = {
      ...meta.labels,
      [SERVICE_NAME_LABEL]: meta.name,
      [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER,
    };
    slices.push({
      ...manifestMeta({ ...meta, name, labels }, r.context),
      serviceName: meta.name,
      addressType: 'IPv4',
      ports,
      endpoints,
      managedBy: MIRRORING_CONTROLLER,
    });
  }
  return slices;
}

function readConditions(r: FieldReader, item: JsonObject, path: string): EndpointConditions {
  const conditions = r.object(item, 'conditions', path) ?? {};
  const here = joinPath(path, 'conditions');
  const ready = r.boolean(conditions, 'ready', here) ?? true;
  return {
    ready,
    serving: r.boolean(conditions, 'serving', here) ?? ready,
    terminating: r.boolean(conditions, 'terminating', here) ?? false,
  };
}

function readEndpointPort(
  r: FieldReader,
  item: JsonObject,
  path: string,
): EndpointPort | undefined {
  const port = r.integer(item, 'port', path);
  const protocol: Protocol = r.oneOf(item, 'protocol', path, PROTOCOLS) ?? 'TCP';
  if (port === undefined) {
    r.warn(
      'UNSUPPORTED',
      `${path}.port`,
      'a port without a number (meaning "all ports") is not simulated',
    );
    return undefined;
  }
  const problem = portNumberProblem(port);
  if (problem) r.error('INVALID_FIELD', `${path}.port`, problem);
  const out: EndpointPort = { port, protocol };
  const name = r.string(item, 'name', path);
  if (name) out.name = name;
  const appProtocol = r.string(item, 'appProtocol', path);
  if (appProtocol !== undefined) out.appProtocol = appProtocol;
  return out;
}

function readTargetRef(
  r: FieldReader,
  item: JsonObject,
  path: string,
  namespace: string,
): Endpoint['targetRef'] {
  const ref = r.object(item, 'targetRef', path);
  if (!ref || ref.kind !== 'Pod' || typeof ref.name !== 'string') return undefined;
  return {
    kind: 'Pod',
    namespace: typeof ref.namespace === 'string' ? ref.namespace : namespace,
    name: ref.name,
  };
}

/** Topology hints (`hints.forZones[].name`, `hints.forNodes[].name`), used by kube-proxy's CategorizeEndpoints. */
function readHints(r: FieldReader, item: JsonObject, path: string): Endpoint['hints'] {
  const hints = r.object(item, 'hints', path);
  if (!hints) return undefined;
  const here = joinPath(path, 'hints');
  r.unknownFields(hints, here, fieldSet('forZones', 'forNodes'));
  const names = (key: string): string[] =>
    r.objects(hints, key, here).flatMap(([hint, hintPath]) => {
      const name = r.string(hint, 'name', hintPath);
      if (!name) r.error('MISSING_FIELD', `${hintPath}.name`, 'Required value');
      return name ? [name] : [];
    });
  return { forZones: names('forZones'), forNodes: names('forNodes') };
}
