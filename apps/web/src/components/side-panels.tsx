/**
 * Below the playground: who can reach whom (the policy matrix for a port; a cell opens its trace),
 * the node and kubectl views, and the diff between two revisions. Tabs follow the WAI-ARIA tabs
 * pattern (arrow keys move between tabs).
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { PolicyDiff } from '@netplay/engine';
import type { NetplayClient } from '../api/client';
import type { SandboxRevision, SandboxRevisionSummary } from '../api/types';
import type { AnalyzeInput, MatrixGrid } from '../engine/analyze';
import { engine } from '../engine/engine-client';
import type { ProbeQuery } from '../routes';
import { DiffView } from './diff-view';
import { ErrorNote } from './error-note';

const TABS = [
  { id: 'matrix', label: 'Who can reach whom' },
  { id: 'views', label: 'Views' },
  { id: 'revisions', label: 'Revisions' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function SidePanels(props: {
  client: NetplayClient;
  input: AnalyzeInput;
  sandboxId: string;
  currentVersion: number;
  onTrace: (probe: ProbeQuery) => void;
}) {
  const [tab, setTab] = useState<TabId>('matrix');
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const next =
      event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : null;
    if (next === null) return;
    const target = TABS[(next + TABS.length) % TABS.length];
    setTab(target.id);
    document.getElementById(`tab-${target.id}`)?.focus();
  };
  return (
    <section className="side-panels" aria-label="Matrix, views and revisions">
      <div role="tablist" aria-label="Panels" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
        {tab === 'matrix' && <MatrixPanel input={props.input} onTrace={props.onTrace} />}
        {tab === 'views' && <ViewsPanel input={props.input} />}
        {tab === 'revisions' && (
          <RevisionsPanel
            client={props.client}
            sandboxId={props.sandboxId}
            currentVersion={props.currentVersion}
          />
        )}
      </div>
    </section>
  );
}

function MatrixPanel({
  input,
  onTrace,
}: {
  input: AnalyzeInput;
  onTrace: (probe: ProbeQuery) => void;
}) {
  const [port, setPort] = useState(80);
  const [grid, setGrid] = useState<MatrixGrid | null | undefined>(undefined);
  useEffect(() => {
    const timer = window.setTimeout(() => engine().matrix(input, port).then(setGrid), 200);
    return () => window.clearTimeout(timer);
  }, [input, port]);
  return (
    <div className="matrix-panel">
      <PortField id="matrix-port" port={port} onChange={setPort} inline />
      {grid === undefined ? (
        <p>Computing…</p>
      ) : grid === null ? (
        <p>Fix the manifests' errors to compute the matrix.</p>
      ) : grid.groups.length === 0 ? (
        <p>No pods outside kube-system.</p>
      ) : (
        <>
          <p id="matrix-help" className="small">
            Can the row's pods open TCP {grid.port} to the column's pods? ✓ allowed, ✕ denied by
            policy. Pods that reach and are reached by the same pods share a row. Select a cell to
            trace it (from the row's first pod to the column's first pod).
          </p>
          <div className="matrix-scroll">
            <table className="matrix" aria-describedby="matrix-help">
              <caption>Who can reach whom on TCP {grid.port}</caption>
              <thead>
                <tr>
                  <th scope="col">from \ to</th>
                  {grid.groups.map((group) => (
                    <th key={group.members[0]} scope="col" title={group.members.join('\n')}>
                      {group.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grid.groups.map((from, r) => (
                  <tr key={from.members[0]}>
                    <th scope="row" title={from.members.join('\n')}>
                      {from.label}
                    </th>
                    {grid.groups.map((to, c) => {
                      const allowed = grid.allowed[r][c];
                      return (
                        <td key={to.members[0]} className={allowed ? 'allowed' : 'denied'}>
                          <button
                            type="button"
                            aria-label={`${from.label} to ${to.label} port ${grid.port}: ${allowed ? 'allowed' : 'denied'}; trace it`}
                            onClick={() =>
                              onTrace({
                                from: from.representative.id,
                                to: `${to.representative.ip}:${grid.port}`,
                              })
                            }
                          >
                            {allowed ? '✓' : '✕'}
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

const VIEW_KINDS = [
  { kind: 'pods', label: 'kubectl get pods -o wide', needs: null },
  { kind: 'services', label: 'kubectl get services', needs: null },
  { kind: 'endpointslices', label: 'kubectl get endpointslices', needs: null },
  { kind: 'nodes', label: 'kubectl get nodes', needs: null },
  { kind: 'ingresses', label: 'kubectl get ingresses', needs: null },
  { kind: 'dns-records', label: 'DNS records (CoreDNS)', needs: null },
  { kind: 'resolv.conf', label: 'resolv.conf of a pod', needs: 'pod' },
  { kind: 'kube-proxy-rules', label: 'kube-proxy rules of a node', needs: 'node' },
  { kind: 'routes', label: 'routes of a node', needs: 'node' },
] as const;

function ViewsPanel({ input }: { input: AnalyzeInput }) {
  const [kind, setKind] = useState<string>('pods');
  const [target, setTarget] = useState('');
  const [text, setText] = useState<string | null>(null);
  const needs = VIEW_KINDS.find((v) => v.kind === kind)?.needs ?? null;
  useEffect(() => {
    if (needs && !target) {
      setText(needs === 'pod' ? 'Name a pod (namespace/name).' : 'Name a node.');
      return;
    }
    const options = needs === 'pod' ? { pod: target } : needs === 'node' ? { node: target } : {};
    const timer = window.setTimeout(
      () =>
        engine()
          .view(input, kind, kind === 'pods' ? { ...options } : options)
          .then(setText),
      150,
    );
    return () => window.clearTimeout(timer);
  }, [input, kind, target, needs]);
  return (
    <div className="views-panel">
      <div className="row">
        <div className="field">
          <label htmlFor="view-kind">View</label>
          <select id="view-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {VIEW_KINDS.map((v) => (
              <option key={v.kind} value={v.kind}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
        {needs && (
          <div className="field">
            <label htmlFor="view-target">{needs === 'pod' ? 'Pod' : 'Node'}</label>
            <input
              id="view-target"
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              placeholder={needs === 'pod' ? 'default/client' : 'worker'}
            />
          </div>
        )}
      </div>
      <pre className="view-text" tabIndex={0} aria-label="View output">
        {text ?? 'Loading…'}
      </pre>
    </div>
  );
}

function RevisionsPanel({
  client,
  sandboxId,
  currentVersion,
}: {
  client: NetplayClient;
  sandboxId: string;
  currentVersion: number;
}) {
  const [revisions, setRevisions] = useState<SandboxRevisionSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [before, setBefore] = useState<number | null>(null);
  const [after, setAfter] = useState<number | null>(null);
  const [port, setPort] = useState(80);
  const [pair, setPair] = useState<{ a: SandboxRevision; b: SandboxRevision } | null>(null);
  const [policy, setPolicy] = useState<PolicyDiff | null | undefined>(undefined);
  useEffect(() => {
    client.revisions(sandboxId).then((items) => {
      const sorted = [...items].sort((a, b) => a.version - b.version);
      setRevisions(sorted);
      setAfter(sorted[sorted.length - 1]?.version ?? null);
      setBefore(sorted[sorted.length - 2]?.version ?? sorted[0]?.version ?? null);
    }, setError);
  }, [client, sandboxId, currentVersion]);
  // Listings carry no manifests: the two compared revisions are read with theirs.
  useEffect(() => {
    if (before === null || after === null) return;
    setPair(null);
    client.revisionsWithManifests(sandboxId, [before, after]).then((found) => {
      const a = found.find((r) => r.version === before);
      const b = found.find((r) => r.version === after);
      if (a && b) setPair({ a, b });
    }, setError);
  }, [client, sandboxId, before, after]);
  const a = pair?.a;
  const b = pair?.b;
  useEffect(() => {
    if (!a || !b) return;
    setPolicy(undefined);
    engine()
      .diff(
        { manifests: a.manifests, clusterSettings: a.clusterSettings },
        { manifests: b.manifests, clusterSettings: b.clusterSettings },
        port,
      )
      .then(setPolicy);
  }, [a, b, port]);
  if (error) return <ErrorNote error={error} />;
  if (!revisions) return <p>Loading revisions…</p>;
  const picker = (id: string, label: string, value: number | null, set: (v: number) => void) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => set(Number(e.target.value))}>
        {revisions.map((r) => (
          <option key={r.version} value={r.version}>
            revision {r.version} ({new Date(r.createdAt).toLocaleString()})
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="revisions-panel">
      <div className="row">
        {picker('diff-before', 'Before', before, setBefore)}
        {picker('diff-after', 'After', after, setAfter)}
        <PortField id="diff-port" port={port} onChange={setPort} />
      </div>
      {policy === undefined ? (
        <p>Comparing…</p>
      ) : policy === null ? (
        <p>One of the revisions has errors: no policy comparison.</p>
      ) : (
        <div className="policy-diff">
          <p>
            This change opens {policy.opened.length} and closes {policy.closed.length} pod-to-pod
            connection
            {policy.opened.length + policy.closed.length === 1 ? '' : 's'} on TCP {policy.port}.
          </p>
          <ul>
            {policy.opened.map((c) => (
              <li key={`o${c.from}>${c.to}`}>
                + opens {c.from} → {c.to}
              </li>
            ))}
            {policy.closed.map((c) => (
              <li key={`c${c.from}>${c.to}`}>
                − closes {c.from} → {c.to}
              </li>
            ))}
          </ul>
        </div>
      )}
      {a && b && (
        <DiffView
          before={a.manifests}
          after={b.manifests}
          label="Manifest changes between the revisions"
        />
      )}
    </div>
  );
}

/** A TCP port, kept within 1-65535 whatever is typed. */
function PortField(props: {
  id: string;
  port: number;
  onChange: (port: number) => void;
  inline?: boolean;
}) {
  return (
    <div className={`field${props.inline ? ' inline' : ''}`}>
      <label htmlFor={props.id}>Port (TCP)</label>
      <input
        id={props.id}
        type="number"
        min={1}
        max={65535}
        value={props.port}
        onChange={(e) => props.onChange(Math.min(65535, Math.max(1, Number(e.target.value) || 1)))}
      />
    </div>
  );
}
