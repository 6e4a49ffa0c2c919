/**
 * What the cluster picture shows, read from the engine's simulated cluster: nodes holding their
 * pods, Services with their addresses and endpoints, Ingresses and Gateways with their controller
 * and addresses, and which pods NetworkPolicies isolate. Plain data, so the Web Worker can send it
 * to the page and tests can check it without a browser.
 */
import {
  announcementFor,
  classOfIngress,
  explainPolicies,
  ingressAddresses,
  readGatewayObjects,
  readIngressObjects,
  type ClusterState,
  type Service,
} from '@netplay/engine';
import {
  nodeId,
  podId,
  serviceId,
  type ClusterPicture,
  type LoadBalancerAddress,
  type PictureEntry,
  type PictureNode,
  type PicturePod,
  type PictureService,
} from './picture-model';

export type { ClusterPicture } from './picture-model';

export function clusterPicture(state: ClusterState): ClusterPicture {
  const isolation = new Map<string, PicturePod['isolation']>();
  for (const pod of explainPolicies(state))
    isolation.set(podId(pod.namespace, pod.pod), {
      ingress: pod.isolated.ingress,
      egress: pod.isolated.egress,
      policies: pod.policies.map((p) => (p.namespace ? `${p.namespace}/${p.name}` : p.name)),
    });
  const nodes: PictureNode[] = [...state.nodes.values()].map((node) => ({
    id: nodeId(node.name),
    name: node.name,
    ip: node.ip,
    role: node.role,
    ready: node.ready,
    pods: [],
  }));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const pendingPods: PicturePod[] = [];
  for (const pod of state.pods.values()) {
    const id = podId(pod.namespace, pod.name);
    const picturePod: PicturePod = {
      id,
      namespace: pod.namespace,
      name: pod.name,
      ip: pod.ip,
      node: pod.nodeName,
      labels: pod.labels,
      ready: pod.ready && pod.phase === 'Running',
      phase: pod.phase,
      hostNetwork: pod.hostNetwork,
      isolation: isolation.get(id) ?? { ingress: false, egress: false, policies: [] },
    };
    const node = byName.get(pod.nodeName);
    if (node) node.pods.push(picturePod);
    else pendingPods.push(picturePod);
  }
  const services = [...state.services.values()].map((svc) => pictureService(state, svc));
  // An entry's address is its controller's load-balancer address: the same node announces it.
  const announcers = new Map<string, string[]>();
  for (const svc of services)
    for (const lb of svc.loadBalancer) announcers.set(lb.ip, lb.announcedBy);
  const entries = pictureEntries(state).map((entry) => ({
    ...entry,
    announcedBy: [...new Set(entry.addresses.flatMap((ip) => announcers.get(ip) ?? []))],
  }));
  return { nodes, pendingPods, services, entries };
}

function pictureService(state: ClusterState, svc: Service): PictureService {
  const endpoints: PictureService['endpoints'] = [];
  for (const slice of state.endpointSlices.values()) {
    if (slice.namespace !== svc.namespace || slice.serviceName !== svc.name) continue;
    for (const endpoint of slice.endpoints)
      if (endpoint.targetRef)
        endpoints.push({
          pod: podId(endpoint.targetRef.namespace, endpoint.targetRef.name),
          ready: endpoint.conditions.ready,
        });
  }
  const loadBalancer = svc.loadBalancerIngress.flatMap((ingress): LoadBalancerAddress[] => {
    if (!ingress.ip) return [];
    const announcement = announcementFor(state, svc, ingress.ip);
    const announcedBy =
      announcement.mode === 'L2'
        ? announcement.announcer
          ? [announcement.announcer.name]
          : []
        : announcement.mode === 'BGP'
          ? announcement.speakers.map((n) => n.name)
          : [];
    return [{ ip: ingress.ip, announcedBy, mode: announcement.mode }];
  });
  return {
    id: serviceId(svc.namespace, svc.name),
    namespace: svc.namespace,
    name: svc.name,
    type: svc.type,
    clusterIP: svc.clusterIP,
    ports: svc.ports.map(
      (p) =>
        `${p.port}/${p.protocol}${p.nodePort ? ` → node :${p.nodePort}` : ''}${p.name ? ` (${p.name})` : ''}`,
    ),
    externalIPs: svc.externalIPs,
    loadBalancer,
    ...(svc.externalName ? { externalName: svc.externalName } : {}),
    endpoints,
  };
}

function pictureEntries(state: ClusterState): PictureEntry[] {
  const { ingresses, classes } = readIngressObjects(state.objects);
  const addresses = ingressAddresses(state);
  const entries: PictureEntry[] = ingresses.map((ingress) => {
    const className = classOfIngress(ingress, classes).className ?? '';
    const backends = new Set<string>();
    const addBackend = (name?: string) => name && backends.add(serviceId(ingress.namespace, name));
    addBackend(ingress.defaultBackend?.service?.name);
    for (const rule of ingress.rules)
      for (const path of rule.paths) addBackend(path.backend.service?.name);
    return {
      id: `ingress:${ingress.namespace}/${ingress.name}`,
      kind: 'Ingress',
      namespace: ingress.namespace,
      name: ingress.name,
      className,
      controller: classes.find((c) => c.name === className)?.controller ?? '(no controller)',
      addresses: (addresses.get(`${ingress.namespace}/${ingress.name}`) ?? []).map(
        (a) => a.ip ?? a.hostname ?? '',
      ),
      announcedBy: [],
      backends: [...backends],
    };
  });
  const gateways = readGatewayObjects(state.objects);
  for (const gateway of gateways.gateways) {
    const backends = new Set<string>();
    for (const route of gateways.routes) {
      const attached = route.parentRefs.some(
        (ref) =>
          ref.name === gateway.name && (ref.namespace ?? route.namespace) === gateway.namespace,
      );
      if (!attached) continue;
      for (const rule of route.rules)
        for (const ref of rule.backendRefs)
          backends.add(serviceId(ref.namespace ?? route.namespace, ref.name));
    }
    entries.push({
      id: `gateway:${gateway.namespace}/${gateway.name}`,
      kind: 'Gateway',
      namespace: gateway.namespace,
      name: gateway.name,
      className: gateway.className,
      controller:
        gateways.classes.find((c) => c.name === gateway.className)?.controllerName ??
        '(no controller)',
      addresses: [],
      announcedBy: [],
      backends: [...backends],
    });
  }
  return entries;
}
