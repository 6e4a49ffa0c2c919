import type { Pod } from '../model/resources';
import { fnv32a } from '../util/hash';

/**
 * Host-side interface names of pods. Real plugins derive them from the container or endpoint id
 * (the CNI `ptp`/`bridge` plugins pick `veth` + random hex, Calico `cali` + a hash of the workload
 * endpoint, Cilium `lxc` + a hash of the endpoint); the engine hashes the pod's namespaced name
 * instead so a given pod always gets the same, realistic-looking name.
 */
function hexDigits(text: string, count: number): string {
  let out = '';
  for (let round = 0; out.length < count; round++) {
    out += fnv32a(round === 0 ? text : `${text}#${round}`)
      .toString(16)
      .padStart(8, '0');
  }
  return out.slice(0, count);
}

function podId(pod: Pod): string {
  return `${pod.namespace}/${pod.name}`;
}

/** Names are hashed once per pod object (probes ask for them on every hop). */
const memo = new WeakMap<Pod, Map<string, string>>();

function named(pod: Pod, prefix: string, digits: number): string {
  let names = memo.get(pod);
  if (!names) memo.set(pod, (names = new Map()));
  let name = names.get(prefix);
  if (name === undefined) {
    name = `${prefix}${hexDigits(podId(pod), digits)}`;
    names.set(prefix, name);
  }
  return name;
}

/** `veth` + 8 hex: the ptp (kindnet) and bridge (flannel) plugins' host-side veth. */
export function vethName(pod: Pod): string {
  return named(pod, 'veth', 8);
}

/** `cali` + 11 hex: Calico's host-side veth (15 characters, the kernel's IFNAMSIZ limit). */
export function caliName(pod: Pod): string {
  return named(pod, 'cali', 11);
}

/** `lxc` + 12 hex: Cilium's host-side veth. */
export function lxcName(pod: Pod): string {
  return named(pod, 'lxc', 12);
}

/** The bandwidth plugin's ifb device that shapes a pod's egress (`bwp` + hash). */
export function ifbName(pod: Pod): string {
  return named(pod, 'bwp', 12);
}
