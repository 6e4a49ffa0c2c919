import type { Service, ServicePort } from '../model/resources';
import { kubeProxyHash } from '../util/hash';

/**
 * The names kube-proxy gives a service port and its chains. They are persisted in real clusters
 * (people grep for `KUBE-SVC-NPX46M4PTMTKRN6Y`), so they are computed exactly as kube-proxy does.
 */

/** `ServicePortName.String()` (pkg/proxy/types.go): `ns/name:port`, or `ns/name` for an unnamed port. */
export function servicePortName(service: Service, port: ServicePort): string {
  return `${service.namespace}/${service.name}${port.name ? `:${port.name}` : ''}`;
}

/** The protocol as kube-proxy writes it into rules and hashes: `strings.ToLower(string(protocol))`. */
export function protocolLower(port: ServicePort): string {
  return port.protocol.toLowerCase();
}

/** Stable key of a service port inside the engine (affinity and IPVS cursors): `ns/name:port/TCP`. */
export function servicePortKey(service: Service, port: ServicePort): string {
  return `${servicePortName(service, port)}/${port.protocol}`;
}

/**
 * A SHA-256 per chain name dominates rendering and probing, and a service port's names never
 * change, so they are memoized per ServicePort object (collected with it). `id` guards against a
 * port object that was edited in place.
 */
interface PortNames {
  id: string;
  portProto: string;
  nftBase?: string;
  endpoints: Map<string, string>;
}
const namesCache = new WeakMap<ServicePort, PortNames>();

function namesOf(service: Service, port: ServicePort): PortNames {
  const id = servicePortName(service, port) + protocolLower(port);
  let names = namesCache.get(port);
  if (!names || names.id !== id) {
    // iptables proxier.go portProtoHash(servicePortName, protocol).
    names = { id, portProto: kubeProxyHash(id), endpoints: new Map() };
    namesCache.set(port, names);
  }
  return names;
}

function portProtoHash(service: Service, port: ServicePort): string {
  return namesOf(service, port).portProto;
}

export function iptablesServiceChain(service: Service, port: ServicePort): string {
  return `KUBE-SVC-${portProtoHash(service, port)}`;
}

/** Local-policy chain (`KUBE-SVL-`), used when a traffic policy is Local. */
export function iptablesLocalChain(service: Service, port: ServicePort): string {
  return `KUBE-SVL-${portProtoHash(service, port)}`;
}

export function iptablesExternalChain(service: Service, port: ServicePort): string {
  return `KUBE-EXT-${portProtoHash(service, port)}`;
}

export function iptablesFirewallChain(service: Service, port: ServicePort): string {
  return `KUBE-FW-${portProtoHash(service, port)}`;
}

/** servicePortEndpointChainName: hash of `servicePortName + protocol + "ip:port"`. */
export function iptablesEndpointChain(
  service: Service,
  port: ServicePort,
  endpoint: string,
): string {
  const names = namesOf(service, port);
  let chain = names.endpoints.get(endpoint);
  if (chain === undefined) {
    chain = `KUBE-SEP-${kubeProxyHash(names.id + endpoint)}`;
    names.endpoints.set(endpoint, chain);
  }
  return chain;
}

// nftables (pkg/proxy/nftables/proxier.go: servicePortChainNameBase, hashAndTruncate).
const NFT_CHAIN_NAME_BASE_MAX = 240;

function hashAndTruncate(name: string): string {
  // Same base32(sha256) as iptables names, but only 8 characters, then the readable name.
  const full = `${kubeProxyHash(name).slice(0, 8)}-${name}`;
  return full.length > NFT_CHAIN_NAME_BASE_MAX
    ? `${full.slice(0, NFT_CHAIN_NAME_BASE_MAX - 3)}...`
    : full;
}

/** `HASH-namespace/name/protocol/portName`, e.g. `5OJB2KTY-ns1/svc1/tcp/p80`. */
export function nftServiceChainBase(service: Service, port: ServicePort): string {
  const names = namesOf(service, port);
  return (names.nftBase ??= hashAndTruncate(
    `${service.namespace}/${service.name}/${protocolLower(port)}/${port.name ?? ''}`,
  ));
}

/** `HASH-namespace/name/protocol/portName__ip/port`. */
export function nftEndpointChainBase(
  service: Service,
  port: ServicePort,
  ip: string,
  endpointPort: number,
): string {
  const names = namesOf(service, port);
  const cacheKey = `nft|${ip}|${endpointPort}`;
  let base = names.endpoints.get(cacheKey);
  if (base === undefined) {
    const safeIP = ip.includes(':') ? ip.replaceAll(':', '.') : ip;
    base = hashAndTruncate(
      `${service.namespace}/${service.name}/${protocolLower(port)}/${port.name ?? ''}__${safeIP}/${endpointPort}`,
    );
    names.endpoints.set(cacheKey, base);
  }
  return base;
}
