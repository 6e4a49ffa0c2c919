import type { ClusterState } from '../model/cluster-state';
import { objectRef, type EngineIssue, type IssueCode } from '../model/issues';
import type { Pod, Service } from '../model/resources';
import { mapSelectorMatches, selectorMatches } from '../util/labels';
import { announcementFor, nodesWithReadyEndpoints } from './announcement';
import { readMetalLbConfig, type Advertisement } from './metallb-config';
import { activeProvider } from './providers';

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
