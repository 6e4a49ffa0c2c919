import type { Node, Service } from '../model/resources';
import { cidrContains, parseCidr } from '../util/ip';

/**
 * loadBalancerSourceRanges as kube-proxy enforces them on LoadBalancer IPs (never on NodePorts):
 * a source must fall in a range; when a range covers the node's own IP, the LB IPs are allowed as
 * sources too, for VIP-like load balancers where node→VIP traffic loops back with the VIP as source
 * (iptables/nftables proxier.go, TestLoadBalancer). Returns the matching entry, or null (DROP).
 * Ranges with surrounding spaces are trimmed, as kube-proxy does.
 */
export function sourceRangeMatch(service: Service, srcIP: string, node: Node): string | null {
  let coversNode = false;
  for (const raw of service.loadBalancerSourceRanges) {
    const text = raw.trim();
    const cidr = parseCidr(text);
    if (!cidr) continue;
    if (cidrContains(cidr, srcIP)) return text;
    if (cidrContains(cidr, node.ip)) coversNode = true;
  }
  if (coversNode) for (const ing of service.loadBalancerIngress) if (ing.ip === srcIP) return srcIP;
  return null;
}

/** Whether a loadBalancerSourceRanges entry covers the node's own IP (the LB IPs are then allowed as sources). */
export function sourceRangeCoversNode(service: Service, node: Node): boolean {
  return service.loadBalancerSourceRanges.some((raw) => {
    const cidr = parseCidr(raw.trim());
    return cidr !== null && cidrContains(cidr, node.ip);
  });
}
