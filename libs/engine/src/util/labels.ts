import type { LabelSelector, Labels } from '../model/resources';

/** matchLabels AND every matchExpression; an empty selector matches everything. */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const k in selector.matchLabels) if (labels[k] !== selector.matchLabels[k]) return false;
  for (const req of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    switch (req.operator) {
      case 'In':
        if (!has || !req.values.includes(labels[req.key])) return false;
        break;
      case 'NotIn':
        if (has && req.values.includes(labels[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** A Service's `spec.selector` is a plain map; an empty map would match every pod, but Kubernetes treats it as "no selector". */
export function mapSelectorMatches(selector: Labels, labels: Labels): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Label key syntax: optional DNS-1123 subdomain prefix (≤253) + `/` + name (≤63). Returns a problem or null. */
export function labelKeyProblem(key: string): string | null {
  const parts = key.split('/');
  if (parts.length > 2) return `label key "${key}" has more than one "/"`;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (!prefix || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      return `label key prefix "${prefix}" must be a DNS subdomain`;
  }
  if (!name || name.length > 63 || !NAME.test(name))
    return `label key "${key}" must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric`;
  return null;
}

export function labelValueProblem(value: string): string | null {
  if (value === '') return null;
  if (value.length > 63 || !NAME.test(value))
    return `label value "${value}" must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric`;
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The string values of a label map given as raw data; anything else is left out. */
export function lenientLabels(v: unknown): Labels {
  const out: Labels = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/**
 * A `metav1.LabelSelector` read leniently from a custom resource the engine does not validate
 * (MetalLB's webhook, another CNI's API server): what cannot be read is left out. `key` maps each
 * key (Cilium writes `k8s:app`, meaning the Kubernetes label `app`).
 */
export function lenientSelector(v: unknown, key: (k: string) => string = (k) => k): LabelSelector {
  const selector: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  if (!isRecord(v)) return selector;
  for (const [k, x] of Object.entries(lenientLabels(v.matchLabels)))
    selector.matchLabels[key(k)] = x;
  if (Array.isArray(v.matchExpressions)) {
    for (const e of v.matchExpressions) {
      if (!isRecord(e) || typeof e.key !== 'string') continue;
      const op = e.operator;
      const values = Array.isArray(e.values)
        ? e.values.filter((x): x is string => typeof x === 'string')
        : [];
      if (op === 'In' || op === 'NotIn' || op === 'Exists' || op === 'DoesNotExist')
        selector.matchExpressions.push({ key: key(e.key), operator: op, values });
    }
  }
  return selector;
}
