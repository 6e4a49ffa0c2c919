import type { LoadBalancerConfig, LoadBalancerProvider } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';
import { defaultLoadBalancerConfig } from '../manifests/read-load-balancer-config';
import { metalLbObjects } from './metallb-config';

/** TEST-NET-2 (RFC 5737) stands in for a cloud provider's public range when none is configured. */
export const DEFAULT_CLOUD_RANGE = '198.51.100.10-198.51.100.250';

/**
 * The LoadBalancer implementation in effect: the Cluster doc's `spec.loadBalancer`, or MetalLB
 * when metallb.io objects are present and nothing else was chosen (installing MetalLB is what
 * applying its CRs implies).
 */
export function loadBalancerConfig(state: ClusterState): LoadBalancerConfig {
  const configured = state.config.loadBalancer ?? defaultLoadBalancerConfig();
  if (configured.provider === 'none' && metalLbObjects(state).length)
    return { ...configured, provider: 'metallb' };
  return configured;
}

export function activeProvider(state: ClusterState): LoadBalancerProvider {
  return loadBalancerConfig(state).provider;
}

export const PROVIDER_NAMES: Record<LoadBalancerProvider, string> = {
  none: 'no load-balancer implementation',
  metallb: 'MetalLB',
  servicelb: 'k3s ServiceLB (Klipper)',
  cloud: "the cloud provider's load balancer",
  'kube-vip': 'kube-vip',
  openelb: 'OpenELB',
};
