/**
 * Probe and DNS checks: run the engine's probe, then compare the trace with the expectation field
 * by field; the reason names the first field that differs, with what was expected and what happened.
 */
import {
  dnsProbe,
  traceProbe,
  type ClusterState,
  type DnsTrace,
  type Hop,
  type ProbeTrace,
} from '@netplay/engine';
import type { CheckAssertion, IngressRuleExpectation, ProbeExpectation } from './exercise-types';

export interface CheckOutcome {
  passed: boolean;
  reason: string;
  trace?: ProbeTrace | DnsTrace;
}

type ProbeAssertion = Extract<CheckAssertion, { kind: 'probe' }>;
type DnsAssertion = Extract<CheckAssertion, { kind: 'dns' }>;

export function runProbeCheck(state: ClusterState, assertion: ProbeAssertion): CheckOutcome {
  const { probe, expect } = assertion;
  const trace = traceProbe(state, probe);
  const what = `${probe.from} → ${probe.to}${probe.host ? ` (Host: ${probe.host})` : ''}`;
  const mismatch = probeMismatch(trace, expect);
  if (mismatch)
    return {
      passed: false,
      reason: `${what}: expected ${mismatch.expected}, but ${mismatch.actual}.`,
      trace,
    };
  return { passed: true, reason: `${what}: ${describeTrace(trace)}, as expected.`, trace };
}

function probeMismatch(
  trace: ProbeTrace,
  expect: ProbeExpectation,
): { expected: string; actual: string } | null {
  if (trace.verdict !== expect.verdict)
    return { expected: `verdict ${expect.verdict}`, actual: `it was ${describeTrace(trace)}` };
  if (expect.dropReason && trace.dropReason !== expect.dropReason) {
    return {
      expected: `drop reason ${expect.dropReason}`,
      actual: `the drop reason was ${trace.dropReason ?? 'none'} (${trace.reason})`,
    };
  }
  if (expect.httpStatus !== undefined && trace.http?.status !== expect.httpStatus) {
    return {
      expected: `HTTP ${expect.httpStatus}`,
      actual: trace.http
        ? `the answer was HTTP ${trace.http.status} ${trace.http.statusText}`
        : 'no HTTP proxy answered',
    };
  }
  if (expect.backendService) {
    const want = qualified(expect.backendService);
    const got = trace.backend?.service
      ? `${trace.backend.namespace}/${trace.backend.service}`
      : null;
    if (got !== want)
      return {
        expected: `a backend of Service ${want}`,
        actual: got ? `Service ${got} answered` : 'no Service backend answered',
      };
  }
  if (expect.backendPod) {
    const got = trace.backend ? `${trace.backend.namespace}/${trace.backend.pod}` : null;
    const subject = expect.backendPod.includes('/') ? got : (trace.backend?.pod ?? null);
    if (!subject || !subject.startsWith(expect.backendPod))
      return {
        expected: `a backend pod named ${expect.backendPod}…`,
        actual: got ? `pod ${got} answered` : 'no pod answered',
      };
  }
  if (expect.decidedByPolicy) {
    const deciders = policyDeciders(trace.hops);
    const want = expect.decidedByPolicy;
    if (!deciders.some((d) => d === want || d === qualified(want))) {
      return {
        expected: `policy ${want} to decide`,
        actual: deciders.length
          ? `the decision came from ${deciders.join(', ')}`
          : 'no policy decided',
      };
    }
  }
  if (expect.ingressRule) {
    const decision = ingressDecision(trace.hops);
    const problem = ingressRuleMismatch(decision, expect.ingressRule);
    if (problem) return problem;
  }
  return null;
}

function ingressRuleMismatch(
  decision: Record<string, unknown> | undefined,
  rule: IngressRuleExpectation,
): { expected: string; actual: string } | null {
  const want = [
    rule.ingress && `Ingress ${qualified(rule.ingress)}`,
    rule.host && `host ${rule.host}`,
    rule.path && `path ${rule.path}`,
  ]
    .filter(Boolean)
    .join(', ');
  if (!decision)
    return {
      expected: `the ingress controller to route by ${want}`,
      actual: 'no ingress controller routed the request',
    };
  const ok =
    (!rule.ingress || decision.ingress === qualified(rule.ingress)) &&
    (!rule.host || decision.host === rule.host) &&
    (!rule.path || decision.path === rule.path);
  if (ok) return null;
  const got = [
    decision.ingress && `Ingress ${String(decision.ingress)}`,
    decision.host && `host ${String(decision.host)}`,
    decision.path && `path ${String(decision.path)}`,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    expected: `routing by ${want}`,
    actual: `the controller routed by ${got || String(decision.why ?? 'no rule')}`,
  };
}

/** The controller's routing decision hop (component `ingress-controller`, details carry `why`). */
function ingressDecision(hops: Hop[]): Record<string, unknown> | undefined {
  return hops.find((h) => h.component === 'ingress-controller' && h.details && 'why' in h.details)
    ?.details;
}

function policyDeciders(hops: Hop[]): string[] {
  const out: string[] = [];
  for (const hop of hops) {
    if (hop.component !== 'network-policy' || !hop.details) continue;
    const decidedBy = hop.details.decidedBy as { policy?: unknown } | undefined;
    if (typeof decidedBy?.policy === 'string' && !out.includes(decidedBy.policy))
      out.push(decidedBy.policy);
  }
  return out;
}

export function runDnsCheck(state: ClusterState, assertion: DnsAssertion): CheckOutcome {
  const { dns, expect } = assertion;
  const trace = dnsProbe(state, dns);
  const what = `${dns.type ?? 'A'} lookup of ${dns.name} from ${dns.from}`;
  const happened =
    trace.verdict === 'resolved'
      ? `it resolved (${trace.reason})`
      : `it did not resolve (${trace.reason})`;
  if (trace.verdict !== expect.verdict)
    return {
      passed: false,
      reason: `${what}: expected ${expect.verdict}, but ${happened}.`,
      trace,
    };
  if (expect.answer) {
    const want = withoutDot(expect.answer);
    const found = trace.answers.some(
      (a) => withoutDot(a.data) === want || withoutDot(a.name) === want,
    );
    if (!found)
      return {
        passed: false,
        reason: `${what}: expected ${expect.answer} among the answers, but ${happened}.`,
        trace,
      };
  }
  return {
    passed: true,
    reason: `${what}: ${expect.verdict} as expected${trace.verdict === 'resolved' ? ` (${trace.reason})` : ''}.`,
    trace,
  };
}

function describeTrace(trace: ProbeTrace): string {
  const http = trace.http ? ` HTTP ${trace.http.status}` : '';
  const drop = trace.dropReason ? ` ${trace.dropReason}` : '';
  return `${trace.verdict}${drop}${http} (${trace.reason})`;
}

/** `name` → `default/name`. */
export function qualified(ref: string): string {
  return ref.includes('/') ? ref : `default/${ref}`;
}

function withoutDot(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
