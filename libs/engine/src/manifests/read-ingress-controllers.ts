import { FieldReader, fieldSet, isObject, joinPath, type JsonObject } from './field-reader';
import { INGRESS_PROFILE_NAMES, type ClusterConfig } from '../model/cluster-config';

type IngressControllerSpec = NonNullable<ClusterConfig['ingressControllers']>[number];

const SERVICE_TYPES = ['NodePort', 'LoadBalancer'] as const;

/**
 * `spec.ingressControllers: [nginx]` or `[{profile: nginx, serviceType: LoadBalancer}]`. The
 * default Service type is NodePort, as on bare-metal installs (a LoadBalancer Service stays
 * `<pending>` until something assigns it an address).
 */
export function readIngressControllers(
  r: FieldReader,
  spec: JsonObject,
  config: ClusterConfig,
): void {
  if (spec.ingressControllers === undefined || spec.ingressControllers === null) return;
  const list = r.array(spec, 'ingressControllers', 'spec') ?? [];
  const out: IngressControllerSpec[] = [];
  list.forEach((item, i) => {
    const path = joinPath('spec.ingressControllers', i);
    const obj: JsonObject =
      typeof item === 'string' ? { profile: item } : isObject(item) ? item : {};
    if (typeof item !== 'string' && !isObject(item)) {
      r.error('INVALID_FIELD', path, 'must be a profile name or {profile, serviceType}');
      return;
    }
    r.unknownFields(obj, path, fieldSet('profile', 'serviceType'));
    const profile = r.oneOf(obj, 'profile', path, INGRESS_PROFILE_NAMES);
    if (obj.profile === undefined)
      r.error('MISSING_FIELD', joinPath(path, 'profile'), 'Required value');
    const serviceType = r.oneOf(obj, 'serviceType', path, SERVICE_TYPES) ?? 'NodePort';
    if (!profile) return;
    if (out.some((s) => s.profile === profile)) {
      r.error('INVALID_FIELD', joinPath(path, 'profile'), `Duplicate value: "${profile}"`);
      return;
    }
    out.push({ profile, serviceType });
  });
  config.ingressControllers = out;
}
