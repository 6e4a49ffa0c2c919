import type { PodTemplate } from '../model/resources';
import { fnv32a, safeEncodeString } from '../util/hash';

/** JSON with object keys sorted at every level, so equal templates hash equally whatever the input order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * The `pod-template-hash` label value: controller.ComputeHash writes the template into an FNV-32a
 * hasher and safe-encodes the decimal sum (pkg/controller/controller_utils.go). Kubernetes hashes a
 * spew dump of the Go struct, so the values differ from a real cluster's; they have the same shape
 * (`5d755d9996`) and change exactly when the template changes.
 */
export function podTemplateHash(template: PodTemplate): string {
  let hash = hashCache.get(template);
  if (hash === undefined) {
    hash = safeEncodeString(String(fnv32a(canonicalJson(template))));
    hashCache.set(template, hash);
  }
  return hash;
}

/** Templates are replaced, never edited in place (apply swaps the whole object), so the hash is cached per object. */
const hashCache = new WeakMap<PodTemplate, string>();
