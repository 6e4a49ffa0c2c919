/**
 * The trace as a list beside the picture: DNS lookups in their own lane (each search candidate and
 * CoreDNS's answer), then every hop; the current hop is marked, and each expands to the packet
 * before and after (DNAT/SNAT named, not only coloured) and the rule that acted.
 */
import { useEffect, useRef } from 'react';
import type { Hop, ProbeTrace } from '@netplay/engine';
import {
  hopRule,
  isDnsHop,
  natLabels,
  packetBefore,
  packetChange,
  packetLine,
  type HopRule,
} from '../view/hops';

export function HopList({
  trace,
  step,
  onStep,
  onOpenRule,
}: {
  trace: ProbeTrace;
  step: number;
  onStep: (index: number) => void;
  onOpenRule: (rule: HopRule) => void;
}) {
  const list = useRef<HTMLDivElement>(null);
  // The list scrolls on its own beside the picture; it keeps the current hop in sight.
  useEffect(() => {
    const container = list.current;
    const current = container?.querySelector<HTMLElement>('[aria-current="step"]');
    if (!container || !current) return;
    // The container is positioned, so it is the offsetParent of its items.
    const top = current.offsetTop;
    if (
      top < container.scrollTop ||
      top + current.offsetHeight > container.scrollTop + container.clientHeight
    )
      container.scrollTop = Math.max(0, top - 40);
  }, [step]);
  const dnsHops = trace.hops.map((hop, i) => ({ hop, i })).filter(({ hop }) => isDnsHop(hop));
  const packetHops = trace.hops.map((hop, i) => ({ hop, i })).filter(({ hop }) => !isDnsHop(hop));
  return (
    <div className="hop-list" ref={list}>
      {trace.dns.length > 0 && (
        <section aria-labelledby="dns-lane-heading" className="dns-lane">
          <h3 id="dns-lane-heading">DNS lookups</h3>
          <ol className="dns-queries">
            {trace.dns.map((query, i) => (
              <li
                key={i}
                className={
                  query.rcode === 'NOERROR' && query.answers.length ? 'answered' : 'missed'
                }
              >
                <code>{query.name}</code> {query.type} → <strong>{query.rcode}</strong>
                {query.answers.length > 0 && ` ${query.answers.map((a) => a.data).join(', ')}`}
                {query.server && <span className="muted"> ({query.server})</span>}
              </li>
            ))}
          </ol>
          <HopItems
            items={dnsHops}
            trace={trace}
            step={step}
            onStep={onStep}
            onOpenRule={onOpenRule}
          />
        </section>
      )}
      <section aria-labelledby="hops-heading">
        <h3 id="hops-heading">Packet hops</h3>
        <HopItems
          items={packetHops}
          trace={trace}
          step={step}
          onStep={onStep}
          onOpenRule={onOpenRule}
        />
      </section>
    </div>
  );
}

function HopItems({
  items,
  trace,
  step,
  onStep,
  onOpenRule,
}: {
  items: { hop: Hop; i: number }[];
  trace: ProbeTrace;
  step: number;
  onStep: (index: number) => void;
  onOpenRule: (rule: HopRule) => void;
}) {
  return (
    <ol className="hops">
      {items.map(({ hop, i }) => {
        const before = packetBefore(trace.hops, i);
        const change = packetChange(before, hop.packet);
        const labels = natLabels(hop, change);
        const rule = hopRule(hop);
        const dropped = trace.verdict !== 'delivered' && i === trace.hops.length - 1;
        return (
          <li
            key={hop.seq}
            className={`hop${i === step ? ' current' : ''}${i > step ? ' ahead' : ''}${dropped ? ' dropped' : ''}`}
            aria-current={i === step ? 'step' : undefined}
            data-hop={hop.seq}
          >
            <details>
              <summary onClick={() => onStep(i)}>
                <span className="hop-seq">{hop.seq}</span>
                <span className="hop-component">{hop.component}</span>
                {hop.node && <span className="muted"> on {hop.node}</span>}
                {labels.map((label) => (
                  <span key={label} className="badge nat">
                    {label}
                  </span>
                ))}
                {dropped && <span className="badge drop">✕ stopped here</span>}
                <span className="hop-description">{hop.description}</span>
              </summary>
              <dl className="packet-detail">
                {before && (
                  <>
                    <dt>Packet before</dt>
                    <dd>
                      <code>{packetLine(before)}</code>
                    </dd>
                  </>
                )}
                <dt>Packet after</dt>
                <dd>
                  <code className={change.dnat || change.snat ? 'changed' : ''}>
                    {packetLine(hop.packet)}
                  </code>
                  {change.dnat && <span className="badge nat">destination rewritten</span>}
                  {change.snat && <span className="badge nat">source rewritten</span>}
                </dd>
                {hop.interface && (
                  <>
                    <dt>Interface / chain</dt>
                    <dd>
                      <code>{hop.interface}</code>
                    </dd>
                  </>
                )}
                {rule && (
                  <>
                    <dt>Rule</dt>
                    <dd>
                      <code>{rule.match}</code>{' '}
                      <button
                        type="button"
                        className="small-button"
                        onClick={() => onOpenRule(rule)}
                      >
                        Open {rule.view === 'routes' ? 'routes' : 'kube-proxy rules'} of {rule.node}
                      </button>
                    </dd>
                  </>
                )}
              </dl>
            </details>
          </li>
        );
      })}
    </ol>
  );
}
