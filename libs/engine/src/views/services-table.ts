import type { ClusterState } from '../model/cluster-state';
import type { Service } from '../model/resources';
import { ageOf } from './age';
import { formatTable, noResources } from './kubectl-table';
import {
  listedNamespace,
  selectNamespaced,
  withNamespaceColumn,
  type ListOptions,
} from './list-options';
import { sortedLabels } from './pods-table';

/** `kubectl get services`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (+ SELECTOR with -o wide). */
export function getServices(state: ClusterState, options: ListOptions = {}): string {
  const services = selectNamespaced(state.services.values(), options);
  if (services.length === 0) return noResources(listedNamespace(options));
  const headers = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'];
  if (options.wide) headers.push('SELECTOR');
  if (options.showLabels) headers.push('LABELS');
  const rows = services.map((svc) => {
    const cells = [
      svc.name,
      svc.type,
      svc.clusterIP || '<none>',
      serviceExternalIP(svc, options.wide ?? false),
      servicePorts(svc),
      ageOf(svc),
    ];
    if (options.wide)
      cells.push(
        svc.selector && Object.keys(svc.selector).length ? sortedLabels(svc.selector) : '<none>',
      );
    if (options.showLabels) cells.push(sortedLabels(svc.labels));
    return { namespace: svc.namespace, cells };
  });
  const table = withNamespaceColumn(options, headers, rows);
  return formatTable(table.headers, table.rows);
}

/** `80/TCP`, `80:30080/TCP`, `53/UDP,53/TCP,9153/TCP` (kubectl printers makePortString). */
export function servicePorts(svc: Service): string {
  if (svc.ports.length === 0) return '<none>';
  return svc.ports
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(',');
}

/**
 * kubectl printers getServiceExternalIP: externalIPs for ClusterIP/NodePort; LoadBalancer ingress
 * (then externalIPs), `<pending>` until an address is assigned; the externalName for ExternalName.
 */
export function serviceExternalIP(svc: Service, wide: boolean): string {
  switch (svc.type) {
    case 'ClusterIP':
    case 'NodePort':
      return svc.externalIPs.length ? svc.externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = loadBalancerStatus(svc, wide);
      const all = [...(ingress ? ingress.split(',') : []), ...svc.externalIPs];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.externalName ?? '<none>';
  }
}

/** loadBalancerStatusStringer: without -o wide, a list longer than 16 characters is cut to 13 + `...`. */
function loadBalancerStatus(svc: Service, wide: boolean): string {
  const text = svc.loadBalancerIngress
    .map((i) => i.ip ?? i.hostname ?? '')
    .filter(Boolean)
    .join(',');
  return !wide && text.length > 16 ? `${text.slice(0, 13)}...` : text;
}
