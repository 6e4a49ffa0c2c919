/**
 * One entry of `spec.checks`: the common fields and exactly one assertion, validated field by
 * field so an exercise author sees every mistake with its path at once.
 */
import { DROP_REASONS, type DnsRecordType, type Protocol, type Verdict } from '@netplay/engine';
import {
  CHECK_KINDS,
  type CheckAssertion,
  type ExerciseCheck,
  type ExerciseIssue,
  type ExerciseIssueCode,
  type IngressRuleExpectation,
  type ProbeExpectation,
} from './exercise-types';

export type Problem = (path: string, message: string, code?: ExerciseIssueCode) => void;

const VERDICTS: readonly Verdict[] = ['delivered', 'refused', 'dropped', 'unresolved', 'timeout'];
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const DNS_TYPES: readonly DnsRecordType[] = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT'];
const CHECK_ID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const COMMON_FIELDS = ['id', 'title', 'points', 'hint', 'hidden'];
const PROBE_EXPECT_FIELDS = [
  'verdict',
  'backendService',
  'backendPod',
  'dropReason',
  'decidedByPolicy',
  'httpStatus',
  'ingressRule',
];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one check; null when it has an error (the problems are reported through `problem`). */
export function readCheck(
  raw: unknown,
  path: string,
  report: (issue: ExerciseIssue) => void,
): ExerciseCheck | null {
  let failed = false;
  const id = isRecord(raw) && typeof raw.id === 'string' ? raw.id : undefined;
  const problem: Problem = (p, message, code = 'INVALID_FIELD') => {
    failed = true;
    report({ severity: 'error', code, path: p, message, ...(id ? { check: id } : {}) });
  };
  if (!isRecord(raw)) {
    problem(path, 'a check must be a mapping', 'NOT_AN_OBJECT');
    return null;
  }
  const fields = new Fields(raw, path, problem);
  const checkId = fields.string('id', true);
  if (checkId !== undefined && !CHECK_ID.test(checkId))
    problem(
      `${path}.id`,
      `"${checkId}" must be lower-case letters, digits and '-' (like a Kubernetes name)`,
    );
  const title = fields.string('title', true);
  const points = raw.points;
  if (points === undefined)
    problem(`${path}.points`, 'is required (a number > 0)', 'MISSING_FIELD');
  else if (typeof points !== 'number' || !Number.isFinite(points) || points <= 0)
    problem(`${path}.points`, `must be a number > 0, got ${JSON.stringify(points)}`);
  const hint = fields.string('hint', false);
  if (raw.hidden !== undefined && typeof raw.hidden !== 'boolean')
    problem(`${path}.hidden`, 'must be true or false');

  const kinds = CHECK_KINDS.filter((k) => raw[k] !== undefined);
  const known = new Set<string>([...COMMON_FIELDS, ...CHECK_KINDS, 'expect']);
  for (const key of Object.keys(raw))
    if (!known.has(key))
      problem(
        `${path}.${key}`,
        `unknown field (a check has ${COMMON_FIELDS.join(', ')} and exactly one of ${CHECK_KINDS.join(', ')})`,
      );
  if (kinds.length !== 1) {
    problem(
      path,
      `a check needs exactly one of ${CHECK_KINDS.join(', ')}; found ${kinds.length ? kinds.join(', ') : 'none'}`,
      'MISSING_FIELD',
    );
    return null;
  }
  if (kinds[0] !== 'probe' && kinds[0] !== 'dns' && raw.expect !== undefined)
    problem(
      `${path}.expect`,
      `only probe and dns checks take expect; ${kinds[0]} is an assertion by itself`,
    );
  const assertion = readAssertion(kinds[0], raw, path, problem);
  if (failed || !assertion || checkId === undefined || title === undefined) return null;
  return {
    id: checkId,
    title,
    points: points as number,
    ...(hint ? { hint } : {}),
    hidden: raw.hidden === true,
    assertion,
  };
}

function readAssertion(
  kind: CheckAssertion['kind'],
  raw: Record<string, unknown>,
  path: string,
  problem: Problem,
): CheckAssertion | null {
  const at = `${path}.${kind}`;
  const body = raw[kind];
  if (!isRecord(body)) {
    problem(at, 'must be a mapping', 'NOT_AN_OBJECT');
    return null;
  }
  const f = new Fields(body, at, problem);
  switch (kind) {
    case 'probe': {
      f.only(['from', 'to', 'protocol', 'host']);
      const from = f.string('from', true);
      const to = f.string('to', true);
      const protocol = f.oneOf('protocol', PROTOCOLS, (v) => v.toUpperCase());
      const host = f.string('host', false);
      const expect = readProbeExpect(raw.expect, `${path}.expect`, problem);
      if (from === undefined || to === undefined || !expect) return null;
      return {
        kind,
        probe: { from, to, ...(protocol ? { protocol } : {}), ...(host ? { host } : {}) },
        expect,
      };
    }
    case 'dns': {
      f.only(['from', 'name', 'type']);
      const from = f.string('from', true);
      const name = f.string('name', true);
      const type = f.oneOf('type', DNS_TYPES, (v) => v.toUpperCase());
      if (!isRecord(raw.expect)) {
        problem(
          `${path}.expect`,
          'is required: {verdict: resolved|unresolved, answer?}',
          'MISSING_FIELD',
        );
        return null;
      }
      const e = new Fields(raw.expect, `${path}.expect`, problem);
      e.only(['verdict', 'answer']);
      const verdict = e.oneOf('verdict', ['resolved', 'unresolved'] as const, (v) => v, true);
      const answer = e.string('answer', false);
      if (from === undefined || name === undefined || !verdict) return null;
      return {
        kind,
        dns: { from, name, ...(type ? { type } : {}) },
        expect: { verdict, ...(answer ? { answer } : {}) },
      };
    }
    case 'serviceHasExternalIP': {
      f.only(['service']);
      const service = f.string('service', true);
      return service === undefined ? null : { kind, service };
    }
    case 'ingressRoutes': {
      f.only(['host', 'path', 'service']);
      const host = f.string('host', true);
      const p = f.string('path', true);
      const service = f.string('service', true);
      if (p !== undefined && !p.startsWith('/')) problem(`${at}.path`, `"${p}" must start with /`);
      return host === undefined || p === undefined || service === undefined
        ? null
        : { kind, host: host.toLowerCase(), path: p, service };
    }
    case 'podIsolated': {
      f.only(['pod', 'direction']);
      const pod = f.string('pod', true);
      const direction = f.oneOf(
        'direction',
        ['ingress', 'egress'] as const,
        (v) => v.toLowerCase(),
        true,
      );
      return pod === undefined || !direction ? null : { kind, pod, direction };
    }
    case 'serviceHasEndpoints': {
      f.only(['service', 'count']);
      const service = f.string('service', true);
      const count = body.count;
      if (count !== undefined && (!Number.isInteger(count) || (count as number) < 0))
        problem(`${at}.count`, 'must be an integer ≥ 0');
      return service === undefined
        ? null
        : { kind, service, ...(typeof count === 'number' ? { count } : {}) };
    }
  }
}

function readProbeExpect(raw: unknown, path: string, problem: Problem): ProbeExpectation | null {
  if (!isRecord(raw)) {
    problem(
      path,
      'is required: {verdict, backendService?, backendPod?, dropReason?, decidedByPolicy?, httpStatus?, ingressRule?}',
      'MISSING_FIELD',
    );
    return null;
  }
  const f = new Fields(raw, path, problem);
  f.only(PROBE_EXPECT_FIELDS);
  const verdict = f.oneOf('verdict', VERDICTS, (v) => v, true);
  const backendService = f.string('backendService', false);
  const backendPod = f.string('backendPod', false);
  const dropReason = f.oneOf(
    'dropReason',
    Object.keys(DROP_REASONS) as (keyof typeof DROP_REASONS)[],
    (v) => v,
  );
  const decidedByPolicy = f.string('decidedByPolicy', false);
  const status = raw.httpStatus;
  if (
    status !== undefined &&
    (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)
  )
    problem(`${path}.httpStatus`, 'must be an HTTP status code (100-599)');
  const ingressRule = readIngressRule(raw.ingressRule, `${path}.ingressRule`, problem);
  if (!verdict) return null;
  return {
    verdict,
    ...(backendService ? { backendService } : {}),
    ...(backendPod ? { backendPod } : {}),
    ...(dropReason ? { dropReason } : {}),
    ...(decidedByPolicy ? { decidedByPolicy } : {}),
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
    ...(ingressRule ? { ingressRule } : {}),
  };
}

/** `ingressRule: ns/name` is short for `{ingress: ns/name}`. */
function readIngressRule(
  raw: unknown,
  path: string,
  problem: Problem,
): IngressRuleExpectation | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && raw) return { ingress: raw };
  if (!isRecord(raw)) {
    problem(path, 'must be an Ingress `namespace/name` or {ingress?, host?, path?}');
    return undefined;
  }
  const f = new Fields(raw, path, problem);
  f.only(['ingress', 'host', 'path']);
  const ingress = f.string('ingress', false);
  const host = f.string('host', false);
  const p = f.string('path', false);
  if (!ingress && !host && !p)
    problem(path, 'needs at least one of ingress, host, path', 'MISSING_FIELD');
  return {
    ...(ingress ? { ingress } : {}),
    ...(host ? { host: host.toLowerCase() } : {}),
    ...(p ? { path: p } : {}),
  };
}

/** Typed reads of one mapping's fields, reporting each problem with its path. */
class Fields {
  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly path: string,
    private readonly problem: Problem,
  ) {}

  string(field: string, required: boolean): string | undefined {
    const value = this.raw[field];
    if (value === undefined) {
      if (required)
        this.problem(`${this.path}.${field}`, 'is required (a string)', 'MISSING_FIELD');
      return undefined;
    }
    if (typeof value !== 'string' || !value.trim()) {
      this.problem(`${this.path}.${field}`, 'must be a non-empty string');
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(
    field: string,
    allowed: readonly T[],
    normalise: (v: string) => string,
    required = false,
  ): T | undefined {
    const value = this.raw[field];
    if (value === undefined) {
      if (required)
        this.problem(
          `${this.path}.${field}`,
          `is required (one of ${allowed.join(', ')})`,
          'MISSING_FIELD',
        );
      return undefined;
    }
    const normalised = typeof value === 'string' ? normalise(value) : value;
    if (!(allowed as readonly unknown[]).includes(normalised)) {
      this.problem(
        `${this.path}.${field}`,
        `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
      );
      return undefined;
    }
    return normalised as T;
  }

  only(fields: string[]): void {
    for (const key of Object.keys(this.raw)) {
      if (!fields.includes(key))
        this.problem(`${this.path}.${key}`, `unknown field (known: ${fields.join(', ')})`);
    }
  }
}
