/** Ingress (networking.k8s.io/v1) and IngressClass as the engine reads them from stored objects. */
export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface IngressServiceBackend {
  name: string;
  /** Exactly one of number or name (types.go ServiceBackendPort). */
  port: { number?: number; name?: string };
}

export interface IngressBackend {
  service?: IngressServiceBackend;
  /** A TypedLocalObjectReference (e.g. a storage bucket): no Service behind it. */
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface IngressPath {
  path: string;
  pathType: PathType;
  backend: IngressBackend;
}

export interface IngressRule {
  /** Absent: the rule applies to every host. */
  host?: string;
  paths: IngressPath[];
}

export interface IngressTls {
  hosts: string[];
  secretName?: string;
}

export interface Ingress {
  namespace: string;
  name: string;
  annotations: Record<string, string>;
  /** `spec.ingressClassName`. */
  ingressClassName?: string;
  /** The deprecated `kubernetes.io/ingress.class` annotation, still honoured by controllers. */
  classAnnotation?: string;
  defaultBackend?: IngressBackend;
  rules: IngressRule[];
  tls: IngressTls[];
  /** Position in creation order: controllers resolve conflicts in favour of the oldest Ingress. */
  order: number;
}

export interface IngressClass {
  name: string;
  controller: string;
  isDefault: boolean;
  order: number;
}

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export function ingressRef(ingress: Pick<Ingress, 'namespace' | 'name'>): string {
  return `${ingress.namespace}/${ingress.name}`;
}
