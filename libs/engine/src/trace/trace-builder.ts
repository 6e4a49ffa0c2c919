import type { HopDraft } from './hop-draft';
import type { Hop } from './trace-types';

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
}
