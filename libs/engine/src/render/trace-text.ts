import type { DnsQueryRecord, Hop, ProbeTrace } from '../trace/trace-types';
import { packetText } from './packet-text';

/**
 * A traceroute-like reading of a probe: the DNS queries, one numbered line per hop (component,
 * node, packet, sentence), then the verdict, the backend and what the engine simplified.
 */
export function renderProbeTrace(trace: ProbeTrace): string {
  const lines = [`probe ${trace.request.from} → ${trace.request.to} (${trace.request.protocol})`];
  if (trace.dns.length) lines.push('', 'DNS:', ...renderQueries(trace.dns));
  if (trace.hops.length) lines.push('', 'hops:', ...renderHops(trace.hops));
  lines.push(
    '',
    `verdict: ${trace.verdict}${trace.dropReason ? ` (${trace.dropReason})` : ''}: ${trace.reason}`,
  );
  if (trace.http)
    lines.push(
      `http: ${trace.http.status} ${trace.http.statusText}${trace.http.location ? ` → ${trace.http.location}` : ''} (from ${trace.http.servedBy})`,
    );
  if (trace.backend) {
    const b = trace.backend;
    lines.push(
      `backend: pod ${b.namespace}/${b.pod} ${b.ip}:${b.port} on ${b.node}${b.service ? ` via service ${b.service}` : ''}`,
    );
  }
  lines.push(...renderNotes(trace.notes));
  return `${lines.join('\n')}\n`;
}

export function renderQueries(queries: DnsQueryRecord[]): string[] {
  return queries.map((q, i) => {
    const answers = q.answers.map((a) => `${a.type} ${a.data}`).join(', ');
    const server = q.server ? ` @${q.server}` : '';
    return `  ${String(i + 1).padStart(2)}. ${q.name} ${q.type}${server} → ${q.rcode}${answers ? ` ${answers}` : ''}`;
  });
}

export function renderHops(hops: Hop[]): string[] {
  const width = String(hops.length).length;
  return hops.map((h) => {
    const arrow = h.direction === 'reply' ? '←' : '→';
    const where = [h.component, h.node ?? 'outside', h.interface].filter(Boolean).join(' ');
    return `  ${String(h.seq).padStart(width)} ${arrow} [${where}] ${packetText(h.packet)}\n  ${' '.repeat(width)}     ${h.description}`;
  });
}

export function renderNotes(notes: string[]): string[] {
  return notes.length ? ['notes:', ...notes.map((n) => `  - ${n}`)] : [];
}
