import type { ObjectMeta } from '../model/resources';

/**
 * The engine has no clock, so AGE cannot be measured. It is derived from where an object came
 * from instead: kubeadm's built-ins and what controllers made for them in kube-system (CoreDNS
 * pods, the kube-dns EndpointSlice) were there first and show `10m`; everything from the input,
 * or made by a controller for it, shows `1m`. docs/cli.md says so.
 */
export function ageOf(meta: Pick<ObjectMeta, 'origin' | 'namespace'>): string {
  if (meta.origin.kind === 'builtin') return '10m';
  return meta.origin.kind === 'controller' && meta.namespace === 'kube-system' ? '10m' : '1m';
}
