import type { EngineIssue } from '../model/issues';
import type { Protocol } from '../model/resources';
import type { DnsRecordType, DnsTrace, ProbeTrace } from '../trace/trace-types';
import type { InputLimits, ManifestFile } from '../manifests/manifest-set';

/** What the CLI or the API hands to `runScenario`: manifests already read, steps in order. */
export interface ScenarioInput {
  manifests: ManifestFile[];
  steps: Step[];
  limits?: Partial<InputLimits>;
}

export interface GetStep {
  kind: string;
  namespace?: string;
  allNamespaces?: boolean;
  wide?: boolean;
  output?: 'wide' | 'json' | 'yaml';
  showLabels?: boolean;
  /** `kubectl get KIND NAME`. */
  name?: string;
  /** For the `resolv.conf` and `env` views. */
  pod?: string;
  /** For the `kube-proxy-rules` and `routes` views. */
  node?: string;
}

/** `pod` may name a workload instead of a pod: its first ready pod is used (names are random). */
export type DeleteTarget = { namespace?: string } & (
  | { pod: string }
  | { service: string }
  | { deployment: string }
  | { statefulset: string }
  | { daemonset: string }
);

export type ScaleTarget = { replicas: number; namespace?: string } & (
  { deployment: string } | { statefulset: string }
);

/** A step that changes the cluster (applied by step-mutation.ts). */
export type MutationStep =
  | { scale: ScaleTarget }
  | { delete: DeleteTarget }
  | { setReady: { pod: string; ready: boolean; namespace?: string } }
  | { cordon: string }
  | { uncordon: string }
  | { failNode: string }
  | { recoverNode: string }
  | { apply: string }
  | { deleteManifest: string };

/** One step; exactly one action key besides the optional `name`. */
export type Step = { name?: string } & (
  | { probe: { from: string; to: string; protocol?: Protocol } }
  | { dns: { from: string; name: string; type?: DnsRecordType } }
  | { get: GetStep }
  | MutationStep
);

export const STEP_ACTIONS = [
  'probe',
  'dns',
  'get',
  'scale',
  'delete',
  'setReady',
  'cordon',
  'uncordon',
  'failNode',
  'recoverNode',
  'apply',
  'deleteManifest',
] as const;
export type StepKind = (typeof STEP_ACTIONS)[number];

export interface ViewStepResult {
  view: string;
  issues: EngineIssue[];
}

export interface MutationStepResult {
  /** What changed, in a sentence, then the pods that went away or appeared. */
  mutation: string;
  issues: EngineIssue[];
}

export interface StepResult {
  index: number;
  name?: string;
  kind: StepKind;
  result: ProbeTrace | DnsTrace | ViewStepResult | MutationStepResult;
}

export interface ScenarioResult {
  /** Problems loading the manifests (a scenario with load errors runs no step). */
  issues: EngineIssue[];
  steps: StepResult[];
}
