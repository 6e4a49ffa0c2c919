/**
 * Assertions on the cluster's state rather than on a probe: addresses the load-balancer controller
 * published, the ingress controllers' routing table, NetworkPolicy isolation, ready endpoints.
 */
import {
  CONTROLLER_PROFILES,
  explainPolicies,
  findPod,
  readIngressObjects,
  routeIngressRequest,
  servedIngresses,
  type ClusterState,
} from '@netplay/engine';
import type { CheckAssertion } from './exercise-types';
import { qualified, type CheckOutcome } from './probe-check';

type Assertion<K extends CheckAssertion['kind']> = Extract<CheckAssertion, { kind: K }>;

export function serviceHasExternalIP(
  state: ClusterState,
  a: Assertion<'serviceHasExternalIP'>,
): CheckOutcome {
  const ref = qualified(a.service);
  const service = state.services.get(ref);
  if (!service)
    return {
      passed: false,
      reason: `expected Service ${ref} to have an external address, but there is no such Service.`,
    };
  const addresses = [
    ...service.loadBalancerIngress.map((i) => i.ip ?? i.hostname ?? ''),
    ...service.externalIPs,
  ].filter(Boolean);
  if (addresses.length)
    return {
      passed: true,
      reason: `Service ${ref} has the external address ${addresses.join(', ')}.`,
    };
  const why =
    service.type === 'LoadBalancer'
      ? 'its EXTERNAL-IP is <pending> (no load-balancer provider assigned one)'
      : `it is of type ${service.type} with no externalIPs`;
  return {
    passed: false,
    reason: `expected Service ${ref} to have an external address, but ${why}.`,
  };
}

/** Routes `http://host/path` through every installed controller's Ingress rules (the same decision the probe's ingress leg makes). */
export function ingressRoutes(state: ClusterState, a: Assertion<'ingressRoutes'>): CheckOutcome {
  const want = qualified(a.service);
  const expected = `expected http://${a.host}${a.path} to be routed to Service ${want}`;
  const controllers = state.config.ingressControllers ?? [];
  if (!controllers.length)
    return {
      passed: false,
      reason: `${expected}, but no ingress controller is installed (Cluster spec.ingressControllers).`,
    };
  const read = readIngressObjects(state.objects);
  const outcomes: string[] = [];
  for (const spec of controllers) {
    const profile = CONTROLLER_PROFILES[spec.profile];
    const served = servedIngresses(profile, read.ingresses, read.classes).served;
    const route = routeIngressRequest(profile, served, {
      scheme: 'http',
      host: a.host,
      path: a.path,
      method: 'GET',
      headers: {},
    });
    if (route.kind === 'backend' && route.backend.service) {
      const got = `${route.ingress.namespace}/${route.backend.service.name}`;
      if (got === want)
        return {
          passed: true,
          reason: `${profile.product} routes http://${a.host}${a.path} to Service ${got} (${route.why}).`,
        };
      outcomes.push(`${profile.product} routes it to Service ${got} (${route.why})`);
    } else if (route.kind === 'backend') {
      outcomes.push(`${profile.product} routes it to a resource backend`);
    } else {
      outcomes.push(`${profile.product} answers ${route.status} (${route.why})`);
    }
  }
  return { passed: false, reason: `${expected}, but ${outcomes.join('; ')}.` };
}

/** NetworkPolicy isolation as `explainPolicies` reports it: some policy selecting the pod lists the direction. */
export function podIsolated(state: ClusterState, a: Assertion<'podIsolated'>): CheckOutcome {
  const found = findPod(state, a.pod);
  if (!found.ok)
    return {
      passed: false,
      reason: `expected ${a.pod} to be isolated for ${a.direction}, but ${found.message}.`,
    };
  const pod = found.pod;
  const explained = explainPolicies(state, { namespace: pod.namespace }).find(
    (p) => p.pod === pod.name,
  );
  const ref = `${pod.namespace}/${pod.name}`;
  if (explained?.isolated[a.direction]) {
    const names = explained.policies
      .filter(
        (p) =>
          p.tier === 'NetworkPolicy' &&
          p.policyTypes.includes(a.direction === 'ingress' ? 'Ingress' : 'Egress'),
      )
      .map((p) => `${p.namespace}/${p.name}`);
    return {
      passed: true,
      reason: `pod ${ref} is isolated for ${a.direction} by ${names.join(', ')}.`,
    };
  }
  return {
    passed: false,
    reason: `expected pod ${ref} to be isolated for ${a.direction}, but no NetworkPolicy with policyTypes ${a.direction === 'ingress' ? 'Ingress' : 'Egress'} selects it.`,
  };
}

/** Ready endpoint addresses across the Service's EndpointSlices (what kube-proxy would program). */
export function serviceHasEndpoints(
  state: ClusterState,
  a: Assertion<'serviceHasEndpoints'>,
): CheckOutcome {
  const ref = qualified(a.service);
  const [namespace, name] = ref.split('/', 2);
  const wanted =
    a.count === undefined
      ? 'at least one ready endpoint'
      : `${a.count} ready endpoint${a.count === 1 ? '' : 's'}`;
  if (!state.services.has(ref))
    return {
      passed: false,
      reason: `expected Service ${ref} to have ${wanted}, but there is no such Service.`,
    };
  const ready = new Set<string>();
  for (const slice of state.endpointSlices.values()) {
    if (slice.namespace !== namespace || slice.serviceName !== name) continue;
    for (const endpoint of slice.endpoints)
      if (endpoint.conditions.ready) endpoint.addresses.forEach((ip) => ready.add(ip));
  }
  const passed = a.count === undefined ? ready.size > 0 : ready.size === a.count;
  const has = `${ready.size} ready endpoint${ready.size === 1 ? '' : 's'}${ready.size ? ` (${[...ready].join(', ')})` : ''}`;
  return passed
    ? { passed, reason: `Service ${ref} has ${has}.` }
    : { passed, reason: `expected Service ${ref} to have ${wanted}, but it has ${has}.` };
}
