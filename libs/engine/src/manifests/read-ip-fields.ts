import { isCidr, isIP, isIPv4, parseCidr } from '../util/ip';
import { FieldReader } from './field-reader';

/**
 * IP and CIDR fields. The engine simulates a single-stack IPv4 cluster: a valid IPv6 value is
 * reported as UNSUPPORTED (an error, since it cannot be honoured) instead of being silently dropped.
 * Returns the value when it is a usable IPv4 address/CIDR.
 */
export function checkIPv4(r: FieldReader, value: string, path: string): boolean {
  if (isIPv4(value)) return true;
  if (isIP(value))
    r.error(
      'UNSUPPORTED',
      path,
      `IPv6 address "${value}": the simulated cluster is single-stack IPv4`,
    );
  else
    r.error(
      'INVALID_IP',
      path,
      `Invalid value: "${value}": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
    );
  return false;
}

export function checkCidrV4(r: FieldReader, value: string, path: string): boolean {
  if (parseCidr(value)) return true;
  if (value.includes(':') && isCidr(value)) {
    r.error(
      'UNSUPPORTED',
      path,
      `IPv6 CIDR "${value}": the simulated cluster is single-stack IPv4`,
    );
    return false;
  }
  r.error(
    'INVALID_CIDR',
    path,
    `Invalid value: "${value}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
  );
  return false;
}
