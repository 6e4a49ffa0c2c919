/**
 * The playground: the manifests editor, the cluster picture, the probe bar with the travelling
 * packet and its hops, and the tabs for the policy matrix, node views and revisions. The engine in
 * the worker re-validates and re-traces on every edit; Save writes a revision (If-Match) and Trace
 * on a saved revision also submits a server run, which stays the record.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiRequestError, isShareToken, type NetplayClient } from '../api/client';
import { watchRunStatus } from '../api/run-status';
import type { ClusterSettings, Run, Sandbox } from '../api/types';
import { ClusterView } from '../components/cluster-view';
import { ErrorNote } from '../components/error-note';
import { HopList } from '../components/hop-list';
import { NodeViewDialog } from '../components/node-view-dialog';
import { ProbeBar } from '../components/probe-bar';
import { SidePanels } from '../components/side-panels';
import { VerdictPanel, verdictSentence } from '../components/verdict-panel';
import type { AnalyzeInput, EditorIssue } from '../engine/analyze';
import { engine } from '../engine/engine-client';
import { useDebouncedAnalysis } from '../hooks/use-debounced-analysis';
import { usePrefersReducedMotion, useTracePlayer } from '../hooks/use-trace-player';
import { navigate } from '../navigation';
import {
  pathFor,
  probeQueryString,
  shareLink,
  withShareToken,
  type ProbeQuery,
  type Route,
} from '../routes';
import type { HopRule } from '../view/hops';
import { guessProbe } from '../view/probe-guess';
import { applySuggestion } from '../view/text-diff';

const YamlEditor = lazy(() => import('../components/yaml-editor'));

export interface PlaygroundProps {
  client: NetplayClient;
  route: Route;
  sandboxId: string;
  /** A share link: this revision, read-only. */
  readOnlyVersion?: number;
  /** Extra panel (an exercise's instructions and submit), given the manifests as they are now. */
  aside?: (manifests: string) => ReactNode;
}

interface Loaded {
  sandbox: Sandbox;
  version: number;
  saved: string;
  clusterSettings: ClusterSettings;
}

export function PlaygroundPage({
  client,
  route,
  sandboxId,
  readOnlyVersion,
  aside,
}: PlaygroundProps) {
  const readOnly = readOnlyVersion !== undefined;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [probe, setProbe] = useState<ProbeQuery | null>(route.probe ?? null);
  const [selected, setSelected] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveNote, setSaveNote] = useState<string | null>(null);
  const [conflictVersion, setConflictVersion] = useState<number | null>(null);
  const [run, setRun] = useState<{ state: 'idle' | 'running' | 'done'; run?: Run; note?: string }>({
    state: 'idle',
  });
  const [jump, setJump] = useState<{ from: number; to: number } | null>(null);
  const [rule, setRule] = useState<{ rule: HopRule; text: string | null } | null>(null);
  const reducedMotion = usePrefersReducedMotion();

  useEffect(() => {
    engine().warm();
    let cancelled = false;
    (async () => {
      if (readOnlyVersion !== undefined && isShareToken(client.token)) {
        const shared = await loadShared(client, sandboxId, readOnlyVersion);
        if (cancelled) return;
        setLoaded(shared);
        setText(shared.saved);
        return;
      }
      const sandbox = await client.getSandbox(sandboxId);
      let state: Loaded = {
        sandbox,
        version: sandbox.version,
        saved: sandbox.manifests,
        clusterSettings: sandbox.clusterSettings ?? {},
      };
      if (readOnlyVersion !== undefined) {
        const [revision] = await client.revisionsWithManifests(sandboxId, [readOnlyVersion]);
        if (!revision)
          throw new ApiRequestError(404, 'not-found', `revision ${readOnlyVersion} does not exist`);
        state = {
          sandbox,
          version: revision.version,
          saved: revision.manifests,
          clusterSettings: revision.clusterSettings ?? {},
        };
      }
      if (cancelled) return;
      setLoaded(state);
      setText(state.saved);
    })().catch((e: unknown) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [client, sandboxId, readOnlyVersion]);

  const input = useMemo<AnalyzeInput | null>(
    () => (loaded ? { manifests: text, clusterSettings: loaded.clusterSettings, probe } : null),
    [loaded, text, probe],
  );
  const { analysis, engineMs, error: engineError } = useDebouncedAnalysis(input);
  const trace = analysis?.trace ?? null;
  const player = useTracePlayer(trace, trace?.hops.length ?? 0, reducedMotion);

  // A sandbox opened without a probe gets a first guess once the engine has read it.
  useEffect(() => {
    if (!probe && analysis?.picture) {
      const guess = guessProbe(analysis.picture);
      if (guess) setProbe(guess);
    }
  }, [analysis, probe]);

  const dirty = loaded !== null && text !== loaded.saved;
  const errors = analysis?.issues.filter((i) => i.severity === 'error') ?? [];
  const warnings = analysis?.issues.filter((i) => i.severity === 'warning').length ?? 0;
  const fixedManifests =
    analysis?.suggestion?.yaml && !readOnly
      ? applySuggestion(text, analysis.suggestion.yaml)
      : null;

  const traceNow = useCallback(
    async (next: ProbeQuery) => {
      setProbe({ ...next });
      player.requestPlay();
      if (!loaded || readOnly) return;
      if (text !== loaded.saved) {
        setRun({
          state: 'done',
          note: 'Live result of unsaved edits: save to record a server run.',
        });
        return;
      }
      setRun({ state: 'running', note: 'queued' });
      try {
        const steps = [
          {
            name: `${next.from} → ${next.to}`,
            probe: {
              from: next.from,
              to: next.to,
              ...(next.protocol ? { protocol: next.protocol } : {}),
              ...(next.host ? { host: next.host } : {}),
            },
          },
        ];
        const submitted = await client.submitRun(loaded.sandbox.id, steps);
        try {
          await watchRunStatus(client.token, submitted.id, (status) =>
            setRun({ state: 'running', note: status }),
          );
        } catch {
          // No subscription (a proxy without WebSockets): the read waits for the run instead.
        }
        setRun({ state: 'done', run: await client.getRun(submitted.id, true) });
      } catch (e) {
        setRun({
          state: 'done',
          note: `The server run failed: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    },
    [client, loaded, readOnly, text, player],
  );

  const save = async (force = false) => {
    if (!loaded) return;
    setSaving(true);
    setSaveNote(null);
    try {
      const version = force && conflictVersion !== null ? conflictVersion : loaded.version;
      const { sandbox } = await client.saveSandbox(loaded.sandbox.id, version, text);
      setLoaded({ ...loaded, sandbox, version: sandbox.version, saved: sandbox.manifests });
      setText(sandbox.manifests);
      setConflictVersion(null);
      setSaveNote(`Saved revision ${sandbox.version}.`);
    } catch (e) {
      if (e instanceof ApiRequestError && e.code === 'version-conflict') {
        const current =
          (e.details as { currentVersion?: number } | undefined)?.currentVersion ?? null;
        setConflictVersion(current);
        setSaveNote(
          `Revision ${current ?? '?'} was saved elsewhere since you opened revision ${loaded.version}.`,
        );
      } else setSaveNote(e instanceof Error ? `Not saved: ${e.message}` : 'Not saved.');
    } finally {
      setSaving(false);
    }
  };

  const reloadLatest = async () => {
    const sandbox = await client.getSandbox(sandboxId);
    setLoaded({
      sandbox,
      version: sandbox.version,
      saved: sandbox.manifests,
      clusterSettings: sandbox.clusterSettings ?? {},
    });
    setText(sandbox.manifests);
    setConflictVersion(null);
    setSaveNote(`Loaded revision ${sandbox.version}.`);
  };

  const openRule = async (hopRule: HopRule) => {
    setRule({ rule: hopRule, text: null });
    const body = input ? await engine().view(input, hopRule.view, { node: hopRule.node }) : '';
    setRule({ rule: hopRule, text: body });
  };

  if (error)
    return (
      <section className="page">
        <ErrorNote error={error} />
      </section>
    );
  if (!loaded)
    return (
      <section className="page">
        <p>Loading the sandbox…</p>
      </section>
    );
  const podNames =
    analysis?.picture?.nodes.flatMap((n) => n.pods.map((p) => `${p.namespace}/${p.name}`)) ?? [];
  const share = probe
    ? shareLink(window.location.origin, route, loaded.sandbox.id, loaded.version, probe)
    : null;
  // Anyone may open a link with a share token; the plain link needs the viewer's own key.
  const canShare = !isShareToken(client.token) && !dirty;
  const status = trace
    ? verdictSentence(trace)
    : analysis && !analysis.picture
      ? 'The manifests have errors: no cluster to trace.'
      : '';

  return (
    <section className="page playground">
      <div className="playground-head">
        <h1>
          {loaded.sandbox.name}
          <span className="muted small">
            {' '}
            · revision {loaded.version}
            {readOnly ? ' (read-only link)' : dirty ? ' · unsaved edits' : ''}
          </span>
        </h1>
        <div className="head-actions">
          {readOnly && isShareToken(client.token) ? null : readOnly ? (
            <a
              href={pathFor(
                route,
                `/sandboxes/${loaded.sandbox.id}${probe ? `?${probeQueryString(probe)}` : ''}`,
              )}
              onClick={(e) => {
                e.preventDefault();
                navigate(e.currentTarget.getAttribute('href') ?? '/');
              }}
            >
              Open the sandbox
            </a>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => save()}
              disabled={saving || !dirty}
            >
              {saving ? 'Saving…' : 'Save revision'}
            </button>
          )}
          {share && canShare && (
            <ShareLinkMaker
              plainLink={share}
              create={() => client.createShareLink(loaded.sandbox.id, loaded.version)}
            />
          )}
        </div>
      </div>
      {saveNote && (
        <p className="note" role="alert">
          {saveNote}{' '}
          {conflictVersion !== null && (
            <>
              <button type="button" onClick={reloadLatest}>
                Load revision {conflictVersion} (drops my edits)
              </button>{' '}
              <button type="button" onClick={() => save(true)}>
                Save mine over it
              </button>
            </>
          )}
        </p>
      )}
      {probe && (
        <ProbeBar
          key={`${probe.from}|${probe.to}`}
          initial={probe}
          onTrace={traceNow}
          podNames={podNames}
          busy={false}
        />
      )}
      <p
        role="status"
        className={`verdict-line${trace ? ` verdict-${trace.verdict}` : ''}`}
        aria-live="polite"
      >
        {status}
      </p>
      <div className="playground-grid">
        <section className="editor-pane" aria-labelledby="editor-heading">
          <h2 id="editor-heading">
            Manifests{' '}
            <span className="muted small">
              {errors.length} error{errors.length === 1 ? '' : 's'}, {warnings} warning
              {warnings === 1 ? '' : 's'}
              {engineMs !== null && ` · engine ${engineMs.toFixed(1)} ms`}
            </span>
          </h2>
          <Suspense
            fallback={
              <pre
                className="editor-fallback"
                tabIndex={0}
                aria-label="Manifests (loading the editor)"
              >
                {text}
              </pre>
            }
          >
            <YamlEditor
              value={text}
              onChange={setText}
              issues={analysis?.issues ?? []}
              readOnly={readOnly}
              label="Manifests (YAML)"
              jump={jump}
            />
          </Suspense>
          {analysis && analysis.issues.length > 0 && (
            <ul className="issue-list" aria-label="Problems in the manifests">
              {analysis.issues.map((issue, i) => (
                <li key={i} className={`issue-${issue.severity}`}>
                  <strong>{SEVERITY_MARK[issue.severity]}</strong>{' '}
                  <button
                    type="button"
                    className="small-button"
                    onClick={() => setJump({ from: issue.from, to: issue.to })}
                  >
                    line {issue.line}
                  </button>
                  {issue.object ? ` · ${issue.object}` : ''}
                  {issue.path ? ` · ${issue.path}` : ''}: {issue.message}
                </li>
              ))}
            </ul>
          )}
          <ErrorNote error={engineError} />
          {aside?.(text)}
        </section>
        <section className="picture-pane" aria-labelledby="picture-heading">
          <h2 id="picture-heading">Cluster</h2>
          {analysis?.picture ? (
            <ClusterView
              picture={analysis.picture}
              locations={analysis.locations}
              step={player.step}
              selected={selected}
              onSelect={setSelected}
              reducedMotion={reducedMotion}
              droppedAt={trace && trace.verdict !== 'delivered' ? trace.hops.length - 1 : null}
            />
          ) : (
            <p className="muted">
              {analysis
                ? 'Fix the errors in the manifests to see the cluster.'
                : 'Reading the manifests…'}
            </p>
          )}
          {selected && analysis?.picture && <SelectionDetails id={selected} analysis={analysis} />}
        </section>
        <section className="trace-pane" aria-labelledby="trace-heading">
          <h2 id="trace-heading">Trace</h2>
          {run.state !== 'idle' && (
            <p className="muted small">
              {run.state === 'running'
                ? `Recording a server run… (${run.note ?? 'queued'})`
                : run.run
                  ? `Server run ${run.run.id.slice(0, 8)}: ${run.run.status}${serverVerdict(run.run)}`
                  : run.note}
            </p>
          )}
          {trace ? (
            <>
              <div className="stepper" role="group" aria-label="Step through the hops">
                <button type="button" onClick={player.back} disabled={player.step <= 0}>
                  ◀ Back
                </button>
                <button type="button" onClick={player.playing ? player.pause : player.resume}>
                  {player.playing ? 'Pause' : 'Play'}
                </button>
                <button
                  type="button"
                  onClick={player.forward}
                  disabled={player.step >= trace.hops.length - 1}
                >
                  Forward ▶
                </button>
                <span className="muted small">
                  hop {player.step + 1} of {trace.hops.length}
                </span>
              </div>
              <VerdictPanel
                trace={trace}
                suggestion={analysis?.suggestion ?? null}
                manifests={text}
                fixedManifests={fixedManifests}
                readOnly={readOnly}
                onApplyFix={() => {
                  if (!fixedManifests || !probe) return;
                  setText(fixedManifests);
                  setProbe({ ...probe });
                  player.requestPlay();
                }}
              />
              <HopList
                trace={trace}
                step={player.step}
                onStep={player.goTo}
                onOpenRule={openRule}
              />
            </>
          ) : (
            <p className="muted">Enter a probe and press Trace.</p>
          )}
        </section>
      </div>
      {input && (
        <SidePanels
          client={client}
          input={input}
          sandboxId={loaded.sandbox.id}
          currentVersion={loaded.version}
          onTrace={(next) => traceNow(next)}
        />
      )}
      {rule && (
        <NodeViewDialog
          title={`${rule.rule.view === 'routes' ? 'Routes' : 'kube-proxy rules'} on ${rule.rule.node}`}
          text={rule.text}
          match={rule.rule.match}
          onClose={() => setRule(null)}
        />
      )}
    </section>
  );
}

const SEVERITY_MARK: Record<EditorIssue['severity'], string> = {
  error: '✕ error',
  warning: '⚠ warning',
  info: 'ℹ note',
};

function serverVerdict(run: Run): string {
  const step = run.result?.steps[0]?.result;
  return step && 'verdict' in step ? ` · verdict ${String(step.verdict)} (recorded)` : '';
}

/** The revision and probe as a link anyone can open read-only: a share token in its fragment. */
function ShareLinkMaker({
  plainLink,
  create,
}: {
  plainLink: string;
  create: () => Promise<{ token: string; expiresAt: string }>;
}) {
  const [made, setMade] = useState<{ link: string; expiresAt: string } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    setMade(null);
    setFailed(null);
  }, [plainLink]);
  if (made)
    return (
      <>
        <CopyLink link={made.link} />
        <span className="muted small">
          {' '}
          read-only, until {new Date(made.expiresAt).toLocaleDateString()}
        </span>
      </>
    );
  return (
    <>
      <button
        type="button"
        onClick={() =>
          create().then(
            (link) =>
              setMade({
                link: withShareToken(plainLink, link.token),
                expiresAt: link.expiresAt,
              }),
            (e: unknown) => setFailed(e instanceof Error ? e.message : String(e)),
          )
        }
      >
        Create share link
      </button>
      {failed && (
        <span role="alert" className="error small">
          {' '}
          No link: {failed}
        </span>
      )}
    </>
  );
}

/** Reads a shared revision with the page's share token; the link must name that revision. */
async function loadShared(
  client: NetplayClient,
  sandboxId: string,
  version: number,
): Promise<Loaded> {
  const shared = await client.sharedRevision();
  if (shared.sandboxId !== sandboxId || shared.version !== version)
    throw new ApiRequestError(403, 'forbidden', 'this share link is for another revision');
  return {
    sandbox: {
      id: shared.sandboxId,
      name: shared.name,
      description: null,
      manifests: shared.manifests,
      clusterSettings: shared.clusterSettings,
      version: shared.version,
      createdAt: shared.createdAt,
      updatedAt: shared.createdAt,
    },
    version: shared.version,
    saved: shared.manifests,
    clusterSettings: shared.clusterSettings ?? {},
  };
}

function CopyLink({ link }: { link: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="copy-link">
      <a href={link}>Share link</a>
      <button
        type="button"
        onClick={() => {
          navigator.clipboard?.writeText(link).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? 'Copied' : 'Copy share link'}
      </button>
    </span>
  );
}

function SelectionDetails({
  id,
  analysis,
}: {
  id: string;
  analysis: NonNullable<ReturnType<typeof useDebouncedAnalysis>['analysis']>;
}) {
  const picture = analysis.picture;
  if (!picture) return null;
  const pod = [...picture.nodes.flatMap((n) => n.pods), ...picture.pendingPods].find(
    (p) => p.id === id,
  );
  const svc = picture.services.find((s) => s.id === id);
  const node = picture.nodes.find((n) => n.id === id);
  const entry = picture.entries.find((e) => e.id === id);
  return (
    <dl className="selection" aria-label="Selected object">
      {pod && (
        <>
          <dt>Pod</dt>
          <dd>
            {pod.namespace}/{pod.name}
          </dd>
          <dt>IP, node</dt>
          <dd>
            {pod.ip || 'none'} on {pod.node || 'no node'}
          </dd>
          <dt>Readiness</dt>
          <dd>{pod.ready ? 'Ready' : pod.phase === 'Pending' ? 'Pending' : 'Not ready'}</dd>
          <dt>Labels</dt>
          <dd>
            {Object.entries(pod.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ') || 'none'}
          </dd>
          <dt>NetworkPolicy</dt>
          <dd>
            {pod.isolation.ingress || pod.isolation.egress
              ? `isolated for ${[pod.isolation.ingress && 'ingress', pod.isolation.egress && 'egress'].filter(Boolean).join(' and ')} by ${pod.isolation.policies.join(', ')}`
              : 'not isolated'}
          </dd>
        </>
      )}
      {svc && (
        <>
          <dt>Service</dt>
          <dd>
            {svc.namespace}/{svc.name} ({svc.type})
          </dd>
          <dt>ClusterIP</dt>
          <dd>{svc.clusterIP}</dd>
          <dt>Ports</dt>
          <dd>{svc.ports.join(', ')}</dd>
          {svc.loadBalancer.map((lb) => (
            <div key={lb.ip}>
              <dt>Load balancer</dt>
              <dd>
                {lb.ip}:{' '}
                {lb.mode === 'none'
                  ? 'not announced'
                  : `announced (${lb.mode}) by ${lb.announcedBy.join(', ')}`}
              </dd>
            </div>
          ))}
          <dt>Endpoints</dt>
          <dd>
            {svc.endpoints
              .map((e) => `${e.pod.replace('pod:', '')}${e.ready ? '' : ' (not ready)'}`)
              .join(', ') || 'none'}
          </dd>
        </>
      )}
      {node && (
        <>
          <dt>Node</dt>
          <dd>
            {node.name} ({node.role}), {node.ip}, {node.ready ? 'Ready' : 'NotReady'},{' '}
            {node.pods.length} pods
          </dd>
        </>
      )}
      {entry && (
        <>
          <dt>{entry.kind}</dt>
          <dd>
            {entry.namespace}/{entry.name}, class {entry.className || 'none'}, controller{' '}
            {entry.controller}
          </dd>
          <dt>Addresses</dt>
          <dd>
            {entry.addresses.join(', ') || 'none'}
            {entry.announcedBy.length > 0 && ` (announced by ${entry.announcedBy.join(', ')})`}
          </dd>
        </>
      )}
      {id === 'external' && (
        <>
          <dt>External client</dt>
          <dd>
            A machine outside the cluster (probe from <code>external</code>).
          </dd>
        </>
      )}
    </dl>
  );
}
