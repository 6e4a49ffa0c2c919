/**
 * Synthetic but stable Ethernet addresses derived from IPv4 addresses. Pod-side addresses use
 * 0a:58 + the IP, the scheme the CNI bridge plugin used for container interfaces
 * (containernetworking/plugins pkg/utils/hwaddr, prefix 0a:58); node (underlay) addresses use
 * 02:42 + the IP, Docker's scheme, which kind's node containers get.
 */
import { concatBytes, ipv4Bytes } from './bytes';

export function podMac(ip: string): Uint8Array {
  return concatBytes(Uint8Array.of(0x0a, 0x58), ipv4Bytes(ip));
}

export function nodeMac(ip: string): Uint8Array {
  return concatBytes(Uint8Array.of(0x02, 0x42), ipv4Bytes(ip));
}
