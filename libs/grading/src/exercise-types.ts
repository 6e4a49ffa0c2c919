/**
 * The Exercise format (`apiVersion: netplay.dev/v1alpha1, kind: Exercise`) and the grading result.
 * These shapes are persisted by the hosted service and sent to training platforms in webhooks:
 * rename fields only with an apiVersion bump. See docs/exercises.md.
 */
import type {
  DnsRecordType,
  DnsTrace,
  DropReason,
  Protocol,
  ProbeTrace,
  Verdict,
} from '@netplay/engine';

export const EXERCISE_API_VERSION = 'netplay.dev/v1alpha1';

/** How a set of manifests relates to the starting manifests. */
export type ManifestMode = 'full' | 'patch';

export interface ManifestSubmission {
  mode: ManifestMode;
  /** Multi-document YAML. In patch mode it may hold `kind: Delete` documents. */
  manifests: string;
}

export interface ProbeExpectation {
  verdict: Verdict;
  /** `namespace/name` or a name in `default`. */
  backendService?: string;
  /** A prefix of `namespace/pod` (or of the pod name when it has no `/`): pod names end in random suffixes. */
  backendPod?: string;
  dropReason?: DropReason;
  /** `namespace/name` of a NetworkPolicy (or the name of a cluster policy) that decided a `network-policy` hop. */
  decidedByPolicy?: string;
  httpStatus?: number;
  ingressRule?: IngressRuleExpectation;
}

/** What the ingress controller's routing decision must show; every given field must match. */
export interface IngressRuleExpectation {
  /** `namespace/name` of the Ingress. */
  ingress?: string;
  host?: string;
  path?: string;
}

export interface DnsExpectation {
  verdict: 'resolved' | 'unresolved';
  /** An address or name that must be among the answers. */
  answer?: string;
}

export type PolicyDirectionName = 'ingress' | 'egress';

export type CheckAssertion =
  | {
      kind: 'probe';
      probe: { from: string; to: string; protocol?: Protocol; host?: string };
      expect: ProbeExpectation;
    }
  | {
      kind: 'dns';
      dns: { from: string; name: string; type?: DnsRecordType };
      expect: DnsExpectation;
    }
  | { kind: 'serviceHasExternalIP'; service: string }
  | { kind: 'ingressRoutes'; host: string; path: string; service: string }
  | { kind: 'podIsolated'; pod: string; direction: PolicyDirectionName }
  | { kind: 'serviceHasEndpoints'; service: string; count?: number };

export type CheckKind = CheckAssertion['kind'];

export const CHECK_KINDS: readonly CheckKind[] = [
  'probe',
  'dns',
  'serviceHasExternalIP',
  'ingressRoutes',
  'podIsolated',
  'serviceHasEndpoints',
];

export interface ExerciseCheck {
  id: string;
  title: string;
  points: number;
  /** Shown to the learner when the check fails. */
  hint?: string;
  /** Not shown to learners (its points still count). */
  hidden: boolean;
  assertion: CheckAssertion;
}

export interface Exercise {
  /** `metadata.name`: the exercise's stable id. */
  name: string;
  title: string;
  /** Markdown. */
  instructions: string;
  startingManifests: string;
  /** The `spec` of the exercise's Cluster document, placed before every manifest set. */
  cluster?: Record<string, unknown>;
  checks: ExerciseCheck[];
  referenceSolution?: ManifestSubmission;
}

/** Problems with an exercise or a submission: data, like the engine's EngineIssue. */
export interface ExerciseIssue {
  severity: 'error' | 'warning';
  code: ExerciseIssueCode;
  message: string;
  /** Field path inside the Exercise document (`spec.checks[2].expect.verdict`). */
  path?: string;
  /** The check the issue is about. */
  check?: string;
}

export type ExerciseIssueCode =
  | 'YAML_SYNTAX'
  | 'LIMIT_EXCEEDED'
  | 'NOT_AN_OBJECT'
  | 'MISSING_FIELD'
  | 'INVALID_FIELD'
  | 'DUPLICATE_CHECK_ID'
  | 'DUPLICATE_EXERCISE'
  | 'STARTING_MANIFESTS_INVALID'
  | 'REFERENCE_SOLUTION_INVALID'
  | 'NO_REFERENCE_SOLUTION'
  | 'CHECK_PASSES_AT_START'
  | 'CHECK_FAILS_ON_REFERENCE';

export interface CheckResult {
  id: string;
  title: string;
  passed: boolean;
  points: number;
  awarded: number;
  /** Only when the check failed. */
  hint?: string;
  hidden: boolean;
  /** One sentence: what was expected and what happened. */
  reason: string;
  /** The probe or lookup that decided, for probe and dns checks. */
  trace?: ProbeTrace | DnsTrace;
}

export interface GradeResult {
  score: number;
  maxScore: number;
  /** Every check passed, hidden ones included. */
  passed: boolean;
  checks: CheckResult[];
  summary: string;
  /** Why the manifests did not load (set only then): the engine's errors, formatted. */
  problems?: string[];
}

/** What a learner may see: hidden checks reduced to their count and points. */
export interface LearnerGradeView {
  score: number;
  maxScore: number;
  passed: boolean;
  checks: CheckResult[];
  hiddenChecks: { count: number; passed: number; points: number; awarded: number };
  summary: string;
}
