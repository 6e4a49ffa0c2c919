import type { DnsRecordType } from './trace-types';
import type { Protocol } from '../model/resources';

/**
 * A probe request. `from`: a pod (`ns/name`, or a bare name in `default`, or a workload name),
 * `node/NAME`, `external` or `external:IP`. `to`: a URL (`http://website.default/`), `host:port`,
 * or a bare IP or name (port 80).
 */
export interface ProbeSpec {
  from: string;
  to: string;
  protocol?: Protocol;
  /** Host header for URL probes when it differs from the URL's host (e.g. `http://<ip>/` with host `api.example.com`). */
  host?: string;
  /** HTTP method of URL probes (default GET). */
  method?: string;
  /** Extra HTTP request headers of URL probes. */
  headers?: Record<string, string>;
}

export interface DnsProbeSpec {
  from: string;
  name: string;
  type?: DnsRecordType;
}
