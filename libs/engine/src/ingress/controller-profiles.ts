import type { ClusterConfig, IngressProfileName } from '../model/cluster-config';
import type { Pod } from '../model/resources';
import type { ImplementationSpecificMode } from './match';

/** `spec.ingressControllers` of the Cluster document: `[nginx]` or `[{profile: nginx, serviceType: LoadBalancer}]`. */
export type IngressControllerSpec = NonNullable<ClusterConfig['ingressControllers']>[number];
export type ControllerServiceType = IngressControllerSpec['serviceType'];

/** What differs between the controllers the engine knows, as their default installs behave. */
export interface ControllerProfile {
  name: IngressProfileName;
  /** Product name used in traces. */
  product: string;
  namespace: string;
  /** Deployment and Service name of the default install. */
  workload: string;
  image: string;
  /** Container ports of the controller pods (the Service maps 80 and 443 to them). */
  ports: { http: number; https: number };
  /** `app.kubernetes.io/name` of the controller pods. */
  appName: string;
  className: string;
  /** IngressClass `spec.controller`. */
  controller: string;
  /** GatewayClass `spec.controllerName` of the same product's Gateway API implementation. */
  gatewayController: string;
  implementationSpecific: ImplementationSpecificMode;
  /** Status code of the HTTP→HTTPS redirect for hosts with TLS; null when the controller does not redirect by default. */
  tlsRedirectStatus: number | null;
  /** Why ImplementationSpecific and redirects behave as they do, for the trace's notes. */
  notes: string[];
}

export const CONTROLLER_PROFILES: Record<IngressProfileName, ControllerProfile> = {
  nginx: {
    name: 'nginx',
    product: 'ingress-nginx',
    namespace: 'ingress-nginx',
    workload: 'ingress-nginx-controller',
    image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2',
    ports: { http: 80, https: 443 },
    appName: 'ingress-nginx',
    className: 'nginx',
    controller: 'k8s.io/ingress-nginx',
    gatewayController: 'gateway.nginx.org/nginx-gateway-controller',
    // ImplementationSpecific paths become a plain nginx `location /path` block: a string prefix,
    // unless use-regex or rewrite-target switches the host to regex locations (nginx-regex.ts).
    implementationSpecific: 'string-prefix',
    // ingress-nginx ssl-redirect defaults to true when the host has TLS; http-redirect-code defaults to 308.
    tlsRedirectStatus: 308,
    notes: [
      'ingress-nginx: ImplementationSpecific paths are nginx prefix locations (string prefix); use-regex and rewrite-target make every path of the host a case-insensitive regex location, tried longest first; annotations other than these and ssl-redirect/force-ssl-redirect are not simulated.',
    ],
  },
  traefik: {
    name: 'traefik',
    product: 'Traefik',
    namespace: 'traefik',
    workload: 'traefik',
    image: 'docker.io/traefik:v3.1',
    // The Helm chart's entrypoints `web` and `websecure`.
    ports: { http: 8000, https: 8443 },
    appName: 'traefik',
    className: 'traefik',
    controller: 'traefik.io/ingress-controller',
    gatewayController: 'traefik.io/gateway-controller',
    // Traefik's Ingress provider turns ImplementationSpecific into a PathPrefix rule (string prefix).
    implementationSpecific: 'string-prefix',
    // Traefik redirects to HTTPS only with an explicit redirect middleware or entrypoint setting.
    tlsRedirectStatus: null,
    notes: [
      'Traefik: ImplementationSpecific paths are PathPrefix rules (string prefix); no HTTP→HTTPS redirect without a middleware; router priorities are modelled as longest path first.',
    ],
  },
  haproxy: {
    name: 'haproxy',
    product: 'HAProxy Kubernetes Ingress',
    namespace: 'haproxy-ingress',
    workload: 'haproxy-ingress',
    image: 'docker.io/haproxytech/kubernetes-ingress:3.0',
    ports: { http: 8080, https: 8443 },
    appName: 'haproxy-ingress',
    className: 'haproxy',
    controller: 'haproxy.org/ingress-controller/haproxy',
    gatewayController: 'haproxy.org/gateway-controller',
    // HAProxy matches ImplementationSpecific paths with `path_beg` (begins with: a string prefix).
    implementationSpecific: 'string-prefix',
    // ssl-redirect is enabled when TLS certificates are configured; ssl-redirect-code defaults to 302.
    tlsRedirectStatus: 302,
    notes: [
      'HAProxy: ImplementationSpecific paths use path_beg (string prefix); TLS hosts are redirected with 302 (ssl-redirect-code).',
    ],
  },
};

/**
 * The profile of a controller in this cluster: the default install's, or, for one found in a
 * cluster dump, with the namespace and Service it runs under there (k3s runs Traefik in kube-system).
 */
export function controllerProfileFor(spec: IngressControllerSpec): ControllerProfile {
  const profile = CONTROLLER_PROFILES[spec.profile];
  if (!spec.found) return profile;
  return { ...profile, namespace: spec.found.namespace, workload: spec.found.service };
}

/**
 * The ingress controller running in this pod, if it is one: matched by namespace and
 * `app.kubernetes.io/name`, first against the controllers of this cluster, then the default installs.
 */
export function controllerProfileOf(
  pod: Pod,
  controllers: IngressControllerSpec[],
): ControllerProfile | undefined {
  return [...controllers.map(controllerProfileFor), ...Object.values(CONTROLLER_PROFILES)].find(
    (p) => p.namespace === pod.namespace && pod.labels['app.kubernetes.io/name'] === p.appName,
  );
}
