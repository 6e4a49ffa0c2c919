import { useState, type FormEvent } from 'react';
import type { ProbeQuery } from '../routes';

/** From / To / protocol / Host header, and the Trace button (labels as the issue names them). */
export function ProbeBar({
  initial,
  onTrace,
  podNames,
  busy,
}: {
  initial: ProbeQuery;
  onTrace: (probe: ProbeQuery) => void;
  podNames: string[];
  busy: boolean;
}) {
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [protocol, setProtocol] = useState<ProbeQuery['protocol']>(initial.protocol ?? 'TCP');
  const [host, setHost] = useState(initial.host ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onTrace({
      from: from.trim(),
      to: to.trim(),
      protocol,
      ...(host.trim() ? { host: host.trim() } : {}),
    });
  };
  return (
    <form className="probe-bar" onSubmit={submit} aria-label="Probe">
      <div className="field">
        <label htmlFor="probe-from">From</label>
        <input
          id="probe-from"
          list="probe-sources"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          placeholder="default/client, node/worker, external"
          required
        />
        <datalist id="probe-sources">
          {['external', ...podNames].map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <div className="field grow">
        <label htmlFor="probe-to">To</label>
        <input
          id="probe-to"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          placeholder="http://website.default/ or name:port"
          required
        />
      </div>
      <div className="field">
        <label htmlFor="probe-protocol">Protocol</label>
        <select
          id="probe-protocol"
          value={protocol}
          onChange={(e) => setProtocol(e.target.value as ProbeQuery['protocol'])}
        >
          <option>TCP</option>
          <option>UDP</option>
          <option>SCTP</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="probe-host">Host header</label>
        <input
          id="probe-host"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          placeholder="(from the URL)"
        />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        Trace
      </button>
    </form>
  );
}
