/**
 * The Docker-links style variables kubelet puts into every container for Services
 * (kubernetes/kubernetes pkg/kubelet/kubelet_pods.go getServiceEnvVarMap, pkg/kubelet/envvars/envvars.go).
 */
import type { ClusterState } from '../model/cluster-state';
import type { Pod, Service } from '../model/resources';

export interface EnvVar {
  name: string;
  value: string;
}

/** `MASTER_SERVICES` in kubelet_pods.go: the API server's Service reaches every pod, service links or not. */
const MASTER_SERVICE = 'kubernetes';

function envName(text: string): string {
  return text.replace(/-/g, '_').toUpperCase();
}

/** Headless and ExternalName Services have no ClusterIP to announce (v1helper.IsServiceIPSet). */
function hasServiceIP(svc: Service): boolean {
  return svc.type !== 'ExternalName' && svc.clusterIP !== '' && svc.clusterIP !== 'None';
}

/** envvars.FromServices for one Service. */
function varsForService(svc: Service): EnvVar[] {
  const prefix = envName(svc.name);
  const vars: EnvVar[] = [{ name: `${prefix}_SERVICE_HOST`, value: svc.clusterIP }];
  if (!svc.ports.length) return vars;
  vars.push({ name: `${prefix}_SERVICE_PORT`, value: String(svc.ports[0].port) });
  for (const port of svc.ports)
    if (port.name)
      vars.push({ name: `${prefix}_SERVICE_PORT_${envName(port.name)}`, value: String(port.port) });
  svc.ports.forEach((port, i) => {
    const protocol = port.protocol || 'TCP';
    const url = `${protocol.toLowerCase()}://${svc.clusterIP}:${port.port}`;
    // Docker special-cases the first port.
    if (i === 0) vars.push({ name: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
    vars.push(
      { name: portPrefix, value: url },
      { name: `${portPrefix}_PROTO`, value: protocol.toLowerCase() },
      { name: `${portPrefix}_PORT`, value: String(port.port) },
      { name: `${portPrefix}_ADDR`, value: svc.clusterIP },
    );
  });
  return vars;
}

/**
 * The variables a pod's containers get: for `default/kubernetes` always, and — when
 * enableServiceLinks is true (the default) — for every Service with a ClusterIP in the pod's
 * namespace. Only Services that existed when the pod started count (created before it): kubelet
 * never updates the environment of a running container.
 * kubelet collects them in a map, so the container sees no particular order; they are returned
 * sorted by name.
 */
export function serviceEnvVars(state: ClusterState, pod: Pod): EnvVar[] {
  const chosen = new Map<string, Service>();
  for (const svc of state.services.values()) {
    if (!hasServiceIP(svc) || svc.createdSeq >= pod.createdSeq) continue;
    if (svc.namespace === 'default' && svc.name === MASTER_SERVICE) {
      if (!chosen.has(svc.name)) chosen.set(svc.name, svc);
    } else if (svc.namespace === pod.namespace && pod.enableServiceLinks) {
      chosen.set(svc.name, svc);
    }
  }
  const byName = new Map<string, string>();
  for (const svc of chosen.values())
    for (const v of varsForService(svc)) byName.set(v.name, v.value);
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }));
}
