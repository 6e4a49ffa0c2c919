import type { Protocol } from '../model/resources';

/**
 * What the engine assumes listens in a pod: containerPort is informational (the API reference:
 * "Not specifying a port here DOES NOT prevent that port from being exposed"), so which ports a
 * process opens is an assumption. `declared`: a pod that declares ports listens on those only (a
 * pod that declares none listens on any); `any`: every port answers. The Cluster document sets it
 * for all pods (`spec.listenPorts`); the pod annotation overrides it per pod, or lists extra ports.
 */
export type ListenPortsMode = 'declared' | 'any';

export const LISTEN_PORTS_MODES = ['declared', 'any'] as const;

/** `netplay.dev/listen-ports: any`, `declared`, or a list of undeclared ports that listen (`8080,5353/UDP`). */
export const LISTEN_PORTS_ANNOTATION = 'netplay.dev/listen-ports';

/** The mode, and undeclared ports that listen all the same (a list in the annotation). */
export interface ListenPortsSetting {
  mode: ListenPortsMode;
  extra: { port: number; protocol: Protocol }[];
}

/** The annotation's value read; null when it is not `any`, `declared` or a port list. */
export function parseListenPorts(value: string): ListenPortsSetting | null {
  const text = value.trim();
  if (text === 'any' || text === 'declared') return { mode: text, extra: [] };
  const extra: { port: number; protocol: Protocol }[] = [];
  for (const item of text.split(',')) {
    const m = /^\s*(\d{1,5})(?:\/(TCP|UDP|SCTP))?\s*$/i.exec(item);
    if (!m || +m[1] < 1 || +m[1] > 65535) return null;
    extra.push({ port: +m[1], protocol: (m[2]?.toUpperCase() ?? 'TCP') as Protocol });
  }
  return extra.length ? { mode: 'declared', extra } : null;
}

export const LISTEN_PORTS_SYNTAX = '"any", "declared", or a list of ports such as "8080,5353/UDP"';
