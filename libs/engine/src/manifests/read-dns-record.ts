import type { UpstreamRecord } from '../model/cluster-config';
import { fieldSet, type FieldReader, type JsonObject } from './field-reader';

const RECORD_FIELDS = fieldSet('name', 'type', 'data', 'ttl');

/**
 * One `{name, type, data, ttl}` record of a zone written in the Cluster doc (`upstreamDNS`, `externalDNS`):
 * `type` defaults to A, the name is lower-cased and loses a trailing dot (DNS names compare
 * case-insensitively, RFC 4343). Undefined when a required field is missing or the type is not in `types`.
 * The caller checks `data` against the type, since zones differ in what they keep after a bad address.
 */
export function readDnsRecord(
  r: FieldReader,
  item: JsonObject,
  itemPath: string,
  types: readonly UpstreamRecord['type'][],
): UpstreamRecord | undefined {
  r.unknownFields(item, itemPath, RECORD_FIELDS);
  const name = r.string(item, 'name', itemPath);
  const type =
    r.oneOf(item, 'type', itemPath, types) ?? (item.type === undefined ? 'A' : undefined);
  const data = r.string(item, 'data', itemPath);
  const ttl = r.integer(item, 'ttl', itemPath);
  if (!name) r.error('MISSING_FIELD', `${itemPath}.name`, 'Required value');
  if (!data) r.error('MISSING_FIELD', `${itemPath}.data`, 'Required value');
  if (!name || !data || !type) return undefined;
  const record: UpstreamRecord = { name: name.replace(/\.$/, '').toLowerCase(), type, data };
  if (ttl !== undefined) record.ttl = ttl;
  return record;
}
