/**
 * The probe's outcome in words. A dropped packet shows where it stopped, why, the deciding policy
 * and rule, and the engine's suggested fix as a diff of the manifests with "Apply fix".
 */
import type { PolicySuggestion, ProbeTrace } from '@netplay/engine';
import { policyDecision, stoppingHop } from '../view/hops';
import { DiffView } from './diff-view';

export function verdictSentence(trace: ProbeTrace): string {
  const mark = trace.verdict === 'delivered' ? '✓' : '✕';
  const served = trace.http ? ` (HTTP ${trace.http.status} ${trace.http.statusText})` : '';
  return `${mark} ${trace.verdict}${served}: ${trace.reason}`;
}

export function VerdictPanel({
  trace,
  suggestion,
  manifests,
  fixedManifests,
  onApplyFix,
  readOnly,
}: {
  trace: ProbeTrace;
  suggestion: PolicySuggestion | null;
  manifests: string;
  fixedManifests: string | null;
  onApplyFix: () => void;
  readOnly: boolean;
}) {
  const stop = stoppingHop(trace);
  const decision = policyDecision(stop);
  return (
    <section className={`verdict-panel verdict-${trace.verdict}`} aria-label="Outcome">
      {stop && (
        <dl className="drop-facts">
          <dt>Stopped at</dt>
          <dd>
            hop {stop.seq}: {stop.component}
            {stop.node ? ` on ${stop.node}` : ''}
          </dd>
          {trace.dropReason && (
            <>
              <dt>Reason</dt>
              <dd>
                <code>{trace.dropReason}</code> — {trace.reason}
              </dd>
            </>
          )}
          {decision && (
            <>
              <dt>Deciding policy</dt>
              <dd>
                <code>{decision.policy}</code> ({decision.tier},{' '}
                {decision.direction ?? 'direction unknown'}: {decision.action})
              </dd>
            </>
          )}
          {stop.interface && (
            <>
              <dt>Rule</dt>
              <dd>
                <code>{stop.interface}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      {suggestion && (
        <div className="suggestion">
          <h3>Suggested fix</h3>
          <p>{suggestion.summary}</p>
          {fixedManifests !== null && (
            <DiffView
              before={manifests}
              after={fixedManifests}
              label="Suggested change to the manifests"
            />
          )}
          {fixedManifests !== null && !readOnly && (
            <button type="button" className="primary" onClick={onApplyFix}>
              Apply fix
            </button>
          )}
          {suggestion.yaml === null && (
            <p>Only a change to an admin policy can let this through.</p>
          )}
        </div>
      )}
      {trace.notes.length > 0 && (
        <details className="notes">
          <summary>Where the simulation simplifies ({trace.notes.length})</summary>
          <ul>
            {trace.notes.map((note, i) => (
              <li key={i}>{note}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
