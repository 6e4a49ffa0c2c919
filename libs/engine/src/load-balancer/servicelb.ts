import { controllerOrigin, podTemplateDefaults } from '../controllers/defaults';
import { nextSeq, touch } from '../controllers/new-state';
import type { ClusterState } from '../model/cluster-state';
import type { DaemonSet, Service } from '../model/resources';
import { fnv32a } from '../util/hash';
import { ipToInt } from '../util/ip';
import { activeProvider } from './providers';

const SVC_NAME_LABEL = 'svccontroller.k3s.cattle.io/svcname';
const SVC_NAMESPACE_LABEL = 'svccontroller.k3s.cattle.io/svcnamespace';
const KLIPPER_IMAGE = 'rancher/klipper-lb:v0.4.9';
const NAMESPACE = 'kube-system';

/** k3s names the DaemonSet `svclb-<service>-<first 8 of the Service UID>`; the engine hashes the name instead. */
export function svclbName(svc: Service): string {
  return `svclb-${svc.name}-${fnv32a(`${svc.namespace}/${svc.name}`).toString(16).padStart(8, '0')}`.slice(
    0,
    63,
  );
}

function serviceLbServices(state: ClusterState): Service[] {
  return [...state.services.values()].filter(
    (s) => s.type === 'LoadBalancer' && !s.loadBalancerClass,
  );
}

/**
 * k3s ServiceLB (pkg/cloudprovider/servicelb.go): one DaemonSet per LoadBalancer Service in
 * kube-system, a klipper-lb container per port claiming it as hostPort on every node (tolerating
 * the control-plane taints). Runs before the DaemonSet controller so the pods appear in the same
 * pass; DaemonSets of Services that are gone or no longer LoadBalancer are removed.
 */
export function syncServiceLbDaemonSets(state: ClusterState): void {
  const active = activeProvider(state) === 'servicelb';
  const wanted = new Map<string, Service>();
  const claimed = new Set<string>();
  for (const svc of active ? serviceLbServices(state) : []) {
    // A port already claimed as hostPort would leave these pods Pending on every node; the engine's
    // scheduler does not check hostPorts, so such a Service gets no DaemonSet at all.
    const ports = svc.ports.map((p) => `${p.protocol}/${p.port}`);
    if (ports.some((p) => claimed.has(p))) continue;
    ports.forEach((p) => claimed.add(p));
    wanted.set(`${NAMESPACE}/${svclbName(svc)}`, svc);
  }
  // A DaemonSet k3s made (read from a cluster dump, named with the Service's UID) is found by its
  // labels naming the Service, and kept.
  const existing = new Map<string, string>();
  for (const [key, ds] of state.daemonSets) {
    const svcName = ds.labels[SVC_NAME_LABEL];
    if (svcName === undefined) continue;
    const svcKey = `${ds.labels[SVC_NAMESPACE_LABEL] ?? ''}/${svcName}`;
    const svc = [...wanted.values()].find((s) => `${s.namespace}/${s.name}` === svcKey);
    if (svc && !existing.has(svcKey)) {
      existing.set(svcKey, key);
      continue;
    }
    state.daemonSets.delete(key);
    touch(state);
  }
  for (const [key, svc] of wanted) {
    if (existing.has(`${svc.namespace}/${svc.name}`) || state.daemonSets.has(key)) continue;
    state.daemonSets.set(key, daemonSetFor(state, svc));
    touch(state);
  }
}

function daemonSetFor(state: ClusterState, svc: Service): DaemonSet {
  const name = svclbName(svc);
  const labels = { app: name, [SVC_NAME_LABEL]: svc.name, [SVC_NAMESPACE_LABEL]: svc.namespace };
  const template = podTemplateDefaults();
  template.labels = { ...labels };
  template.containers = svc.ports.map((p) => {
    const portName = `lb-${p.protocol.toLowerCase()}-${p.port}`;
    return {
      name: portName,
      image: KLIPPER_IMAGE,
      ports: [{ name: portName, containerPort: p.port, protocol: p.protocol, hostPort: p.port }],
    };
  });
  template.tolerations = [
    { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
  ];
  return {
    namespace: NAMESPACE,
    name,
    labels,
    annotations: {},
    createdSeq: nextSeq(state),
    origin: controllerOrigin('servicelb'),
    selector: { matchLabels: { app: name }, matchExpressions: [] },
    template,
  };
}

/** EXTERNAL-IP under ServiceLB: the addresses of Ready nodes whose svclb pod for the Service runs, in address order. */
export function serviceLbAddresses(state: ClusterState, svc: Service): string[] {
  const ips = new Set<string>();
  for (const pod of state.pods.values()) {
    if (pod.namespace !== NAMESPACE || !pod.ip || pod.terminating) continue;
    // By the labels naming the Service: a DaemonSet read from a cluster dump has k3s's own name.
    if (
      pod.labels[SVC_NAME_LABEL] !== svc.name ||
      pod.labels[SVC_NAMESPACE_LABEL] !== svc.namespace
    )
      continue;
    const node = state.nodes.get(pod.nodeName);
    if (node?.ready) ips.add(node.ip);
  }
  return [...ips].sort((a, b) => ipToInt(a) - ipToInt(b));
}
