import type { HopDraft } from './hop-draft';
import type {
  Backend,
  DnsQueryRecord,
  DropReason,
  Hop,
  HttpResult,
  ProbeTrace,
  Verdict,
} from './trace-types';

/** What one step along the path (a DNS lookup, a policy gate, a leg across nodes) adds to a trace. */
export interface TraceStep {
  hops: HopDraft[];
  notes: string[];
}

/** How a probe, or the part of it a component handled, ended. */
export interface ProbeOutcome {
  verdict: Verdict;
  reason: string;
  dropReason: DropReason | null;
  backend?: Backend | null;
  http?: HttpResult;
}

/** Numbers hops in order (request first, then reply) and collects notes without duplicates. */
export class TraceBuilder {
  readonly hops: Hop[] = [];
  readonly notes: string[] = [];

  add(direction: Hop['direction'], drafts: HopDraft[]): void {
    for (const draft of drafts) this.hops.push({ seq: this.hops.length + 1, direction, ...draft });
  }

  note(...notes: string[]): void {
    for (const note of notes) if (!this.notes.includes(note)) this.notes.push(note);
  }

  /** A step's hops (as `direction`), then its notes. */
  absorb(step: TraceStep, direction: Hop['direction'] = 'request'): void {
    this.add(direction, step.hops);
    this.note(...step.notes);
  }

  /** The probe trace of `request` that ended in `outcome`, after the DNS queries in `dns`. */
  finish(
    request: ProbeTrace['request'],
    outcome: ProbeOutcome,
    dns: DnsQueryRecord[] = [],
  ): ProbeTrace {
    return {
      kind: 'probe',
      request,
      verdict: outcome.verdict,
      reason: outcome.reason,
      dropReason: outcome.dropReason,
      dns,
      backend: outcome.backend ?? null,
      hops: this.hops,
      notes: this.notes,
      ...(outcome.http ? { http: outcome.http } : {}),
    };
  }
}
