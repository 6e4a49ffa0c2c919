/**
 * MetalLB's validating webhook on IPAddressPool (internal/config/config.go addressPoolFromCR and
 * ParseCIDR): a pool needs addresses, each a CIDR or a `start-end` range of one family with start
 * not after end. The webhook refuses anything else, so such a pool is an error, never dropped in
 * silence. IPv6 entries are valid MetalLB configuration but the simulated cluster is single-stack
 * IPv4: they are kept, reported, and never handed out.
 */
import ipaddr from 'ipaddr.js';
import { objectRef, type EngineIssue } from '../model/issues';
import type { StoredObject } from '../model/resources';

type Family = 'ipv4' | 'ipv6';

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    return ipaddr.parse(text.trim());
  } catch {
    return null;
  }
}

/** Why MetalLB refuses an `addresses` entry (its own words), or its family when it is valid. */
export function poolEntryProblem(entry: string): { problem: string } | { family: Family } {
  if (!entry.includes('-')) {
    try {
      const [address] = ipaddr.parseCIDR(entry.trim());
      return { family: address.kind() };
    } catch {
      return { problem: `invalid CIDR "${entry}"` };
    }
  }
  const [startText, endText] = entry.split('-', 2);
  const start = parseAddress(startText);
  if (!start) return { problem: `invalid IP range "${entry}": invalid start IP "${startText}"` };
  const end = parseAddress(endText);
  if (!end) return { problem: `invalid IP range "${entry}": invalid end IP "${endText}"` };
  if (start.kind() !== end.kind())
    return { problem: `invalid IP range "${entry}": start and end are of different families` };
  if (compareBytes(start.toByteArray(), end.toByteArray()) > 0)
    return {
      problem: `invalid IP range "${entry}": start IP "${startText.trim()}" is after the end IP "${endText.trim()}"`,
    };
  return { family: start.kind() };
}

function compareBytes(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Errors and warnings for every IPAddressPool among `objects`, in input order. */
export function metalLbIssues(objects: readonly StoredObject[]): EngineIssue[] {
  const issues: EngineIssue[] = [];
  for (const object of objects) {
    if (object.kind !== 'IPAddressPool' || !object.apiVersion.startsWith('metallb.io/')) continue;
    const at = {
      doc: object.doc,
      ...(object.file !== undefined ? { file: object.file } : {}),
      object: objectRef('IPAddressPool', object.namespace, object.name),
    };
    const spec = isRecord(object.body.spec) ? object.body.spec : {};
    const addresses = Array.isArray(spec.addresses) ? spec.addresses : [];
    if (!addresses.length)
      issues.push({
        ...at,
        severity: 'error',
        code: 'MISSING_FIELD',
        path: 'spec.addresses',
        message: 'Required value: pool has no prefixes defined (MetalLB refuses the pool)',
      });
    addresses.forEach((entry, i) => {
      const path = `spec.addresses[${i}]`;
      if (typeof entry !== 'string') {
        issues.push({
          ...at,
          severity: 'error',
          code: 'INVALID_CIDR',
          path,
          message: 'must be a string',
        });
        return;
      }
      const read = poolEntryProblem(entry);
      if ('problem' in read)
        issues.push({
          ...at,
          severity: 'error',
          code: 'INVALID_CIDR',
          path,
          message: `Invalid value: invalid CIDR "${entry}" in pool "${object.name}": ${read.problem} (MetalLB's webhook refuses the pool)`,
        });
      else if (read.family === 'ipv6')
        issues.push({
          ...at,
          severity: 'warning',
          code: 'UNSUPPORTED',
          path,
          message: `IPv6 range "${entry}" kept but never assigned: the simulated cluster is single-stack IPv4, so its Services ask for IPv4 addresses only`,
        });
    });
  }
  return issues;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
