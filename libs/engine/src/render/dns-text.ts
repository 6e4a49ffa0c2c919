import type { DnsTrace } from '../trace/trace-types';
import { renderHops, renderNotes, renderQueries } from './trace-text';

/** A `dig`-like reading of a lookup: the queries the stub resolver sent in order, then the answer. */
export function renderDnsTrace(trace: DnsTrace): string {
  const lines = [`lookup ${trace.request.name} ${trace.request.type} from ${trace.request.from}`];
  if (trace.queries.length) lines.push('', 'queries:', ...renderQueries(trace.queries));
  if (trace.hops.length) lines.push('', 'hops:', ...renderHops(trace.hops));
  lines.push('', `verdict: ${trace.verdict}: ${trace.reason}`);
  if (trace.answers.length) {
    lines.push(
      'answers:',
      ...trace.answers.map((a) => `  ${a.name} ${a.ttl} IN ${a.type} ${a.data}`),
    );
  }
  lines.push(...renderNotes(trace.notes));
  return `${lines.join('\n')}\n`;
}
