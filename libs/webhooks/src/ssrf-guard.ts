// Outbound requests to tenant-supplied URLs must not reach the service's own network: loopback,
// RFC 1918, link-local (169.254.169.254 is the cloud metadata service), CGNAT, multicast, reserved
// and their IPv6 forms (OWASP SSRF Prevention Cheat Sheet, "Case 2"). The check runs on the address
// the socket actually connects to: `guardedLookup` is handed to http.request as its `lookup`, so the
// answer that is validated is the answer that is used and DNS rebinding has no window. Node skips
// `lookup` for literal IP hosts, so `checkUrlTarget` checks those before the request is made.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type AddressResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface SsrfPolicy {
  /**
   * Exceptions for development and tests: exact host names (their addresses are not checked) and
   * IPs/CIDRs (`127.0.0.1/32`, `10.0.0.0/8`, `::1/128`) whose addresses are accepted.
   */
  allowedHosts: readonly string[];
  /** How host names become addresses; the system resolver by default (tests inject their own). */
  resolve?: AddressResolver;
}

export class SsrfBlockedError extends Error {
  readonly code = 'ERR_SSRF_BLOCKED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      `refused to connect to ${host} (${address}): ${range} addresses are not reachable from webhooks`,
    );
    this.name = 'SsrfBlockedError';
  }
}

/** The address's ipaddr.js range when it is refused, undefined when it may be connected to. */
export function blockedRange(address: string, policy: SsrfPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = ipaddr.parse(address);
  // ::ffff:a.b.c.d reaches a.b.c.d: judge the IPv4 address it carries.
  const target =
    parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
      ? (parsed as ipaddr.IPv6).toIPv4Address()
      : parsed;
  if (isInAllowedCidr(target, policy)) return undefined;
  const range = target.range();
  return range === 'unicast' ? undefined : range;
}

function isInAllowedCidr(address: ipaddr.IPv4 | ipaddr.IPv6, policy: SsrfPolicy): boolean {
  for (const entry of policy.allowedHosts) {
    const cidr = parseCidr(entry);
    if (cidr && cidr[0].kind() === address.kind() && address.match(cidr)) return true;
  }
  return false;
}

function parseCidr(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  if (entry.includes('/')) return ipaddr.isValidCIDR(entry) ? ipaddr.parseCIDR(entry) : undefined;
  if (!ipaddr.isValid(entry)) return undefined;
  const address = ipaddr.parse(entry);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

function isAllowedHostName(hostname: string, policy: SsrfPolicy): boolean {
  const name = hostname.toLowerCase();
  return policy.allowedHosts.some((entry) => !parseCidr(entry) && entry.toLowerCase() === name);
}

/** URL hostname without IPv6 brackets. */
export function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks what can be checked before connecting: the scheme, credentials in the URL, and a literal
 * IP host (which never goes through `lookup`). The WHATWG parser has already normalised forms like
 * `http://2130706433/` and `http://0x7f.1/` to 127.0.0.1.
 */
export function checkUrlTarget(url: URL, policy: SsrfPolicy): SsrfBlockedError | undefined {
  const host = bareHostname(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return new SsrfBlockedError(host, '-', `scheme ${url.protocol}`);
  if (url.username || url.password) return new SsrfBlockedError(host, '-', 'credentials in URL');
  if (isIP(host) === 0) return undefined;
  const range = blockedRange(host, policy);
  return range ? new SsrfBlockedError(host, host, range) : undefined;
}

const systemResolver: AddressResolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request / net.connect: resolves, refuses the whole answer when ANY address is
 * refused (a mixed answer is how rebinding attacks hedge), and hands Node the validated addresses.
 * Node 20 asks for `all: true` when it races IPv4 and IPv6 (autoSelectFamily), one address otherwise.
 */
export function guardedLookup(policy: SsrfPolicy) {
  const resolve = policy.resolve ?? systemResolver;
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: LookupCallback,
  ): void => {
    resolve(hostname).then(
      (answers) => {
        const family = Number(options.family) || 0;
        const usable = answers.filter((answer) => family === 0 || answer.family === family);
        if (usable.length === 0)
          return callback(
            Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
            '',
          );
        if (!isAllowedHostName(hostname, policy)) {
          for (const answer of usable) {
            const range = blockedRange(answer.address, policy);
            if (range) return callback(new SsrfBlockedError(hostname, answer.address, range), '');
          }
        }
        if (options.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
