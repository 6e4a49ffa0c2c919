import type { Labels } from '../model/resources';
import { labelKeyProblem, labelValueProblem } from '../util/labels';
import { fieldSet, FieldReader, joinPath, type JsonObject } from './field-reader';
import { nameProblem, type NameFormat } from './validate-names';

/** ObjectMeta as the API server accepts it: server-filled fields included, so `kubectl get -o yaml` output reads without warnings. */
const META_FIELDS = fieldSet(
  'name',
  'generateName',
  'namespace',
  'labels',
  'annotations',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
  'finalizers',
  'managedFields',
  'selfLink',
);

export interface ReadMeta {
  name: string;
  namespace: string;
  labels: Labels;
  annotations: Labels;
  deleting: boolean;
  /** The ownerReference with `controller: true`: the object's managing controller (at most one). */
  controllerRef?: { apiVersion: string; kind: string; name: string };
}

/** Labels with the API server's key/value checks (util/labels.ts), reported at `path`. */
export function readLabels(r: FieldReader, obj: JsonObject, key: string, path: string): Labels {
  const labels = r.stringMap(obj, key, path) ?? {};
  for (const [k, v] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(k);
    if (keyProblem) r.error('INVALID_LABEL', joinPath(path, key), keyProblem);
    const valueProblem = labelValueProblem(v);
    if (valueProblem) r.error('INVALID_LABEL', joinPath(joinPath(path, key), k), valueProblem);
  }
  return labels;
}

/**
 * metadata.name (required, in the kind's name format), namespace (defaulted to `default` for
 * namespaced kinds, as kubectl does for objects without one), labels and annotations.
 * Returns null when there is no usable name.
 */
export function readMetadata(
  r: FieldReader,
  raw: JsonObject,
  namespaced: boolean,
  format: NameFormat,
): ReadMeta | null {
  const meta = r.object(raw, 'metadata', '');
  if (!meta) {
    r.error('MISSING_FIELD', 'metadata.name', 'Required value: name is required');
    return null;
  }
  r.unknownFields(meta, 'metadata', META_FIELDS);
  const name = r.string(meta, 'name', 'metadata');
  if (name === undefined || name === '') {
    const generated = typeof meta.generateName === 'string';
    r.error(
      'MISSING_FIELD',
      'metadata.name',
      generated
        ? 'Required value: generateName is not supported here; give a name'
        : 'Required value: name is required',
    );
    return null;
  }
  const problem = nameProblem(name, format);
  if (problem) r.error('INVALID_NAME', 'metadata.name', `Invalid value: "${name}": ${problem}`);
  let namespace = r.string(meta, 'namespace', 'metadata') ?? '';
  if (namespaced) {
    if (namespace === '') namespace = 'default';
    const nsProblem = nameProblem(namespace, 'dns1123-label');
    if (nsProblem)
      r.error('INVALID_NAME', 'metadata.namespace', `Invalid value: "${namespace}": ${nsProblem}`);
  } else namespace = '';
  const labels = readLabels(r, meta, 'labels', 'metadata');
  const annotations = r.stringMap(meta, 'annotations', 'metadata') ?? {};
  for (const k of Object.keys(annotations)) {
    const keyProblem = labelKeyProblem(k);
    if (keyProblem)
      r.error(
        'INVALID_FIELD',
        'metadata.annotations',
        keyProblem.replace('label key', 'annotation key'),
      );
  }
  const read: ReadMeta = {
    name,
    namespace,
    labels,
    annotations,
    deleting: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
  };
  const controllerRef = readControllerRef(r, meta);
  if (controllerRef) read.controllerRef = controllerRef;
  return read;
}

/** metadata.ownerReferences: the one marked `controller: true` (the API server allows only one). */
function readControllerRef(r: FieldReader, meta: JsonObject): ReadMeta['controllerRef'] {
  for (const [ref, path] of r.objects(meta, 'ownerReferences', 'metadata')) {
    if (ref.controller !== true) continue;
    const apiVersion = r.string(ref, 'apiVersion', path);
    const kind = r.string(ref, 'kind', path);
    const name = r.string(ref, 'name', path);
    if (kind && name) return { apiVersion: apiVersion ?? '', kind, name };
  }
  return undefined;
}
