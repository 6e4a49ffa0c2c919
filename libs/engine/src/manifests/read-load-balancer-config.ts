import type {
  ClusterConfig,
  LoadBalancerConfig,
  LoadBalancerProvider,
  UpstreamRecord,
} from '../model/cluster-config';
import { fieldSet, type FieldReader, type JsonObject } from './field-reader';
import { checkIPv4 } from './read-ip-fields';
import { readDnsRecord } from './read-dns-record';
import { readShortForm } from './read-short-form';
import { parseAddressRange } from '../util/address-range';

const PROVIDERS = ['none', 'metallb', 'servicelb', 'cloud', 'kube-vip', 'openelb'] as const;
const RECORD_TYPES = ['A', 'CNAME', 'TXT'] as const;

export function defaultLoadBalancerConfig(
  provider: LoadBalancerProvider = 'none',
): LoadBalancerConfig {
  return { provider, addresses: [], cloudTargets: 'instance', cloudHostnames: false };
}

/**
 * The Cluster doc's north-south fields: `loadBalancer: metallb` or
 * `{provider, addresses, targets: instance|ip, hostnames}`, and `externalDNS` (records of the
 * public zone external clients query, e.g. `{name: shop.example.com, data: 198.51.100.7}`).
 */
export function readNorthSouthConfig(
  r: FieldReader,
  spec: JsonObject,
  config: ClusterConfig,
): void {
  readLoadBalancer(r, spec, config);
  readExternalZone(r, spec, config);
}

function readLoadBalancer(r: FieldReader, spec: JsonObject, config: ClusterConfig): void {
  const raw = spec.loadBalancer;
  if (raw === undefined || raw === null) return;
  const path = 'spec.loadBalancer';
  const obj = readShortForm(
    r,
    raw,
    path,
    'provider',
    'must be a provider name or {provider, addresses, targets, hostnames}',
  );
  r.unknownFields(obj, path, fieldSet('provider', 'addresses', 'targets', 'hostnames'));
  const lb = defaultLoadBalancerConfig(r.oneOf(obj, 'provider', path, PROVIDERS) ?? 'none');
  lb.addresses = r.strings(obj, 'addresses', path).filter((a, i) => {
    if (parseAddressRange(a)) return true;
    r.error(
      'INVALID_FIELD',
      `${path}.addresses[${i}]`,
      `Invalid value: "${a}": must be a CIDR or a range "A-B"`,
    );
    return false;
  });
  lb.cloudTargets = r.oneOf(obj, 'targets', path, ['instance', 'ip'] as const) ?? 'instance';
  lb.cloudHostnames = r.boolean(obj, 'hostnames', path) ?? false;
  config.loadBalancer = lb;
}

function readExternalZone(r: FieldReader, spec: JsonObject, config: ClusterConfig): void {
  if (spec.externalDNS === undefined || spec.externalDNS === null) return;
  const records: UpstreamRecord[] = [];
  for (const [item, itemPath] of r.objects(spec, 'externalDNS', 'spec')) {
    const record = readDnsRecord(r, item, itemPath, RECORD_TYPES);
    if (!record) continue;
    if (record.type === 'A' && !checkIPv4(r, record.data, `${itemPath}.data`)) continue;
    records.push(record);
  }
  config.externalZone = records;
}
