import type { ClusterState } from '../model/cluster-state';
import { objectRef, type EngineIssue, type IssueCode } from '../model/issues';
import type { Node, Pod, Service } from '../model/resources';
import { mapSelectorMatches, selectorMatches } from '../util/labels';
import { announcementFor, bgpSessions, nodesWithReadyEndpoints } from './announcement';
import { readMetalLbConfig, type Advertisement, type MetalLbConfig } from './metallb-config';
import { activeProvider, loadBalancerConfig } from './providers';

function warn(code: IssueCode, object: string, message: string): EngineIssue {
  return { severity: 'warning', code, object, message };
}

/** Services reachable from outside: NodePort, LoadBalancer, or with externalIPs. */
function exposed(svc: Service): boolean {
  return svc.type === 'NodePort' || svc.type === 'LoadBalancer' || svc.externalIPs.length > 0;
}

function selectedPods(state: ClusterState, svc: Service): Pod[] {
  if (!svc.selector || !Object.keys(svc.selector).length) return [];
  const selector = svc.selector;
  return [...state.pods.values()].filter(
    (p) => p.namespace === svc.namespace && mapSelectorMatches(selector, p.labels),
  );
}

/**
 * Mistakes that leave north-south traffic with nowhere to go: MetalLB pools nobody advertises,
 * advertisement node selectors matching no node, exposed Services whose selector matches no pod,
 * with no ready endpoint, with a named targetPort no selected pod defines, and eTP Local
 * LoadBalancers whose announcing node has no local endpoint.
 */
export function lintNorthSouth(state: ClusterState): EngineIssue[] {
  const issues: EngineIssue[] = [];
  if (activeProvider(state) === 'metallb') issues.push(...lintMetalLb(state));
  issues.push(...lintLoadBalancerServices(state));
  for (const svc of state.services.values()) {
    if (!exposed(svc) || svc.type === 'ExternalName') continue;
    const ref = objectRef('Service', svc.namespace, svc.name);
    const pods = selectedPods(state, svc);
    if (svc.selector && Object.keys(svc.selector).length && !pods.length) {
      issues.push(
        warn(
          'SELECTOR_MATCHES_NOTHING',
          ref,
          `spec.selector ${Object.entries(svc.selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')} matches no pod in namespace ${svc.namespace}`,
        ),
      );
    }
    for (const port of svc.ports) {
      if (typeof port.targetPort !== 'string' || !pods.length) continue;
      const name = port.targetPort;
      if (!pods.some((p) => p.containers.some((c) => c.ports.some((cp) => cp.name === name)))) {
        issues.push(
          warn(
            'NAMED_PORT_NOT_FOUND',
            ref,
            `targetPort "${name}" of port ${port.port}/${port.protocol}: no selected pod defines a container port named "${name}", so the Service has no endpoints for it`,
          ),
        );
      }
    }
    const readyNodes = nodesWithReadyEndpoints(state, svc);
    if (svc.type === 'LoadBalancer' && pods.length && !readyNodes.size) {
      issues.push(
        warn(
          'LB_NO_ENDPOINTS',
          ref,
          'the LoadBalancer has no ready endpoints: kube-proxy rejects every connection to it',
        ),
      );
    }
    if (svc.type === 'LoadBalancer' && svc.externalTrafficPolicy === 'Local' && readyNodes.size) {
      for (const ingress of svc.loadBalancerIngress) {
        if (!ingress.ip) continue;
        const announcement = announcementFor(state, svc, ingress.ip);
        if (
          announcement.mode === 'L2' &&
          announcement.announcer &&
          !readyNodes.has(announcement.announcer.name)
        ) {
          issues.push(
            warn(
              'LB_NO_LOCAL_ENDPOINT',
              ref,
              `externalTrafficPolicy Local: ${announcement.announcer.name} announces ${ingress.ip} but runs no ready endpoint, so kube-proxy there drops the traffic`,
            ),
          );
        }
        if (
          state.nodes.has(nodeNameByIP(state, ingress.ip) ?? '') &&
          !readyNodes.has(nodeNameByIP(state, ingress.ip) ?? '')
        ) {
          issues.push(
            warn(
              'LB_NO_LOCAL_ENDPOINT',
              ref,
              `externalTrafficPolicy Local: node address ${ingress.ip} is listed in EXTERNAL-IP but that node runs no ready endpoint, so traffic there is dropped`,
            ),
          );
        }
      }
    }
  }
  return issues;
}

/** A BGPAdvertisement nobody hears: no BGPPeer at all, peers it names that do not exist, or none of its nodes peering. */
function lintBgpPeers(config: MetalLbConfig, adv: Advertisement, nodes: Node[]): EngineIssue[] {
  const ref = objectRef('BGPAdvertisement', 'metallb-system', adv.name);
  if (!config.peers.length)
    return [
      warn(
        'LB_NOT_ADVERTISED',
        ref,
        'no BGPPeer is configured: MetalLB opens no BGP session, so no router hears these routes and nothing outside reaches the addresses (add a BGPPeer, or an L2Advertisement)',
      ),
    ];
  const issues = adv.peers
    .filter((name) => !config.peers.some((p) => p.name === name))
    .map((name) =>
      warn('SELECTOR_MATCHES_NOTHING', ref, `spec.peers names "${name}", which is no BGPPeer`),
    );
  if (!nodes.some((n) => bgpSessions(config.peers, adv, n).length))
    issues.push(
      warn(
        'LB_NOT_ADVERTISED',
        ref,
        "no node has a session to a BGPPeer this advertisement announces to (spec.peers and the peers' nodeSelectors): no router hears these routes",
      ),
    );
  return issues;
}

/**
 * LoadBalancer Services nothing will give an address (`<pending>` for good): no implementation is
 * configured, or `spec.loadBalancerClass` names one that does not run; and cloud instance targets
 * with `allocateLoadBalancerNodePorts: false`, which leave the cloud load balancer nothing to target.
 */
function lintLoadBalancerServices(state: ClusterState): EngineIssue[] {
  const issues: EngineIssue[] = [];
  const lb = loadBalancerConfig(state);
  for (const svc of state.services.values()) {
    if (svc.type !== 'LoadBalancer') continue;
    const ref = objectRef('Service', svc.namespace, svc.name);
    const nodePorts = svc.ports.filter((p) => p.nodePort).map((p) => `${p.port}:${p.nodePort}`);
    const meanwhile = nodePorts.length
      ? ` Meanwhile it is reachable on every node's address at its NodePorts (${nodePorts.join(', ')}).`
      : '';
    if (!svc.loadBalancerIngress.length && svc.loadBalancerClass)
      issues.push(
        warn(
          'LB_PENDING',
          ref,
          `EXTERNAL-IP stays <pending>: spec.loadBalancerClass "${svc.loadBalancerClass}" asks for an implementation that is not simulated here, and the default one ignores Services with a class.${meanwhile}`,
        ),
      );
    else if (!svc.loadBalancerIngress.length && lb.provider === 'none')
      issues.push(
        warn(
          'LB_PENDING',
          ref,
          `EXTERNAL-IP stays <pending>: no load-balancer implementation is configured (no cloud controller, no MetalLB), so nothing assigns an address. Set the Cluster document's spec.loadBalancer (metallb, servicelb, cloud, kube-vip, openelb) or add a MetalLB IPAddressPool and L2Advertisement.${meanwhile}`,
        ),
      );
    if (
      lb.provider === 'cloud' &&
      lb.cloudTargets === 'instance' &&
      svc.ports.some((p) => !p.nodePort)
    )
      issues.push(
        warn(
          'LB_NO_NODE_PORT',
          ref,
          'allocateLoadBalancerNodePorts: false leaves ports without a NodePort, but the cloud load balancer targets instances (NodePorts): it has nothing to forward those ports to. Use IP targets or allocate node ports.',
        ),
      );
  }
  return issues;
}

function nodeNameByIP(state: ClusterState, ip: string): string | undefined {
  for (const n of state.nodes.values()) if (n.ip === ip) return n.name;
  return undefined;
}

function lintMetalLb(state: ClusterState): EngineIssue[] {
  const issues: EngineIssue[] = [];
  const config = readMetalLbConfig(state);
  const advertises = (adv: Advertisement, pool: (typeof config.pools)[number]) =>
    (!adv.pools.length && !adv.poolSelectors.length) ||
    adv.pools.includes(pool.name) ||
    adv.poolSelectors.some((s) => selectorMatches(s, pool.labels));
  for (const pool of config.pools) {
    if (!config.advertisements.some((a) => advertises(a, pool))) {
      issues.push(
        warn(
          'LB_NOT_ADVERTISED',
          objectRef('IPAddressPool', pool.namespace, pool.name),
          'no L2Advertisement or BGPAdvertisement selects this pool: its addresses are assigned but never announced, so nothing outside reaches them',
        ),
      );
    }
  }
  const nodes = [...state.nodes.values()];
  for (const adv of config.advertisements) {
    const kind = adv.mode === 'L2' ? 'L2Advertisement' : 'BGPAdvertisement';
    if (
      adv.nodeSelectors.length &&
      !nodes.some((n) => adv.nodeSelectors.some((s) => selectorMatches(s, n.labels)))
    ) {
      issues.push(
        warn(
          'SELECTOR_MATCHES_NOTHING',
          objectRef(kind, 'metallb-system', adv.name),
          'spec.nodeSelectors match no node: nothing announces from this advertisement',
        ),
      );
    }
    if (adv.mode === 'BGP') issues.push(...lintBgpPeers(config, adv, nodes));
    for (const name of adv.pools) {
      if (!config.pools.some((p) => p.name === name))
        issues.push(
          warn(
            'SELECTOR_MATCHES_NOTHING',
            objectRef(kind, 'metallb-system', adv.name),
            `spec.ipAddressPools names "${name}", which does not exist`,
          ),
        );
    }
  }
  return issues;
}
