import type { DnsRecordType } from '../model/trace';
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
}

export interface DnsProbeSpec {
  from: string;
  name: string;
  type?: DnsRecordType;
}
