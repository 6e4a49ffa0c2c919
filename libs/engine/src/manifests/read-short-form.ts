import { type FieldReader, isObject, type JsonObject } from './field-reader';

/**
 * A Cluster doc field written either in its short form (`cni: calico`) or as a mapping
 * (`cni: {plugin: calico, mode: ipip}`): returns the mapping, the short form placed under `shortKey`.
 * Anything else is an INVALID_FIELD issue (`expected` says what was wanted) and reads as an empty mapping.
 */
export function readShortForm(
  r: FieldReader,
  raw: unknown,
  path: string,
  shortKey: string,
  expected: string,
): JsonObject {
  if (typeof raw === 'string') return { [shortKey]: raw };
  if (isObject(raw)) return raw;
  r.error('INVALID_FIELD', path, expected);
  return {};
}
