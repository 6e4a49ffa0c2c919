import { unsimulatedKind } from '../manifests/unsimulated-kinds';
import type { ClusterState } from '../model/cluster-state';
import { isObject } from '../manifests/field-reader';
import type { StoredObject } from '../model/resources';
import { controllerProfileFor } from '../ingress/controller-profiles';
import { readGatewayObjects } from '../gateway-api/read-gateway';
import { readPolicies } from '../policy/read-policies';
import { formatSelector } from './deployments-table';
import { formatTable, noResources } from './kubectl-table';
import type { KubernetesObject } from './kubernetes-object';
import {
  listedNamespace,
  selectNamespaced,
  withNamespaceColumn,
  type ListOptions,
} from './list-options';
import { sortedLabels } from './pods-table';

/** Kinds the engine keeps as written (NetworkPolicy, Gateway, HTTPRoute): their stored objects, listed as kubectl lists them. */
export function storedObjects(
  state: ClusterState,
  kind: string,
  options: ListOptions,
): StoredObject[] {
  return selectNamespaced(
    state.objects
      .filter((o) => o.kind === kind && !unsimulatedKind(o.apiVersion, o.kind))
      .map((o) => ({ ...o, namespace: o.namespace ?? 'default' })),
    options,
  );
}

export function storedObjectBody(object: StoredObject): KubernetesObject {
  return object.body as unknown as KubernetesObject;
}

/** `kubectl get networkpolicies`: NAME POD-SELECTOR AGE (POD-SELECTOR as metav1.FormatLabelSelector). */
export function getNetworkPolicies(state: ClusterState, options: ListOptions = {}): string {
  const policies = new Map(
    readPolicies(state).networkPolicies.map((p) => [`${p.namespace}/${p.name}`, p]),
  );
  return storedTable(state, 'NetworkPolicy', options, ['NAME', 'POD-SELECTOR', 'AGE'], (o) => {
    const policy = policies.get(`${o.namespace}/${o.name}`);
    return [o.name, policy ? formatSelector(policy.podSelector) : '<none>', '1m'];
  });
}

/**
 * `kubectl get gateways`: the Gateway CRD's printer columns NAME CLASS ADDRESS PROGRAMMED AGE. A
 * Gateway whose class names an installed controller is programmed, with the controller Service's
 * load-balancer address unless the input gives `status.addresses`; any other keeps the CRD's
 * default condition, Unknown (gateway-api's standard-install CRDs default status to Pending).
 */
export function getGateways(state: ClusterState, options: ListOptions = {}): string {
  const { classes, gateways } = readGatewayObjects(state.objects);
  return storedTable(
    state,
    'Gateway',
    options,
    ['NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE'],
    (o) => {
      const gateway = gateways.find((g) => g.namespace === o.namespace && g.name === o.name);
      const controller = classes.find((c) => c.name === gateway?.className)?.controllerName;
      const profile = (state.config.ingressControllers ?? [])
        .map(controllerProfileFor)
        .find((p) => p.gatewayController === controller);
      const written = statusAddresses(o);
      const published = profile
        ? (
            state.services.get(`${profile.namespace}/${profile.workload}`)?.loadBalancerIngress ??
            []
          )
            .map((a) => a.ip ?? a.hostname ?? '')
            .filter(Boolean)
        : [];
      const address = (written.length ? written : published)[0] ?? '';
      return [o.name, gateway?.className ?? '', address, profile ? 'True' : 'Unknown', '1m'];
    },
  );
}

/** `kubectl get httproutes`: NAME HOSTNAMES AGE, the hostnames printed as kubectl prints a CRD list column (JSON). */
export function getHttpRoutes(state: ClusterState, options: ListOptions = {}): string {
  return storedTable(state, 'HTTPRoute', options, ['NAME', 'HOSTNAMES', 'AGE'], (o) => {
    const spec = isObject(o.body.spec) ? o.body.spec : {};
    const hostnames = Array.isArray(spec.hostnames) ? spec.hostnames : [];
    return [o.name, hostnames.length ? JSON.stringify(hostnames) : '', '1m'];
  });
}

function statusAddresses(o: StoredObject): string[] {
  const status = isObject(o.body.status) ? o.body.status : {};
  const addresses = Array.isArray(status.addresses) ? status.addresses : [];
  return addresses.filter(isObject).flatMap((a) => (typeof a.value === 'string' ? [a.value] : []));
}

function storedTable(
  state: ClusterState,
  kind: string,
  options: ListOptions,
  headers: string[],
  cells: (object: StoredObject & { namespace: string }) => string[],
): string {
  const objects = storedObjects(state, kind, options) as (StoredObject & { namespace: string })[];
  if (objects.length === 0) return noResources(listedNamespace(options));
  const rows = objects.map((o) => ({
    namespace: o.namespace,
    cells: [...cells(o), ...(options.showLabels ? [sortedLabels(labelsOf(o))] : [])],
  }));
  const table = withNamespaceColumn(
    options,
    options.showLabels ? [...headers, 'LABELS'] : headers,
    rows,
  );
  return formatTable(table.headers, table.rows);
}

function labelsOf(o: StoredObject): Record<string, string> {
  const metadata = isObject(o.body.metadata) ? o.body.metadata : {};
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  return Object.fromEntries(
    Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
