/**
 * The engine's public API: everything outside libs/engine imports from `@netplay/engine`.
 * Pure and deterministic: data in, data out.
 */
export { loadCluster, type LoadOptions, type LoadResult } from './load-cluster';
export { DEFAULT_LIMITS, type InputLimits, type ManifestFile, type ManifestSet } from './manifests/manifest-set';
export { parseYamlDocuments } from './manifests/parse-yaml';
export { readManifests } from './manifests/read-manifests';
export { createCluster } from './controllers/create-cluster';
export { applyMutation, cloneState, type Mutation } from './controllers/mutations';

export type { ClusterState } from './model/cluster-state';
export { defaultClusterConfig, type ClusterConfig } from './model/cluster-config';
export type * from './model/resources';
export { formatIssue, objectRef, type EngineIssue, type IssueCode } from './model/issues';
export { DROP_REASONS, type DropReason } from './model/trace';
export type {
  Backend,
  DnsAnswer,
  DnsQueryRecord,
  DnsRecordType,
  DnsTrace,
  Hop,
  HopComponent,
  ObservationPoint,
  Packet,
  ProbeTrace,
  Rcode,
  Verdict,
} from './model/trace';

export { resolveSource, findPod, type ProbeSource } from './trace/source';
export type { ProbeSpec, DnsProbeSpec } from './trace/probe-spec';
export { traceProbe } from './trace/probe';
export { dnsProbe } from './trace/dns-probe';

export { resolvConfFor, formatResolvConf, type ResolvConf } from './dns/resolv-conf';
export { resolveName, searchCandidates } from './dns/stub-resolver';
export { coreDnsAnswer } from './dns/cluster-zone';
export { listClusterRecords } from './dns/list-cluster-records';
export { serviceEnvVars } from './dns/service-env';
export { renderRules } from './kube-proxy/render-rules';
export { routingTable, formatRoutes, type Route } from './cni/routing-table';

export { getView, resolveKind, VIEW_KINDS, type ViewOptions, type ViewResult } from './views/get-view';
export { runScenario, runSteps } from './scenario/run-scenario';
export { parseScenario, type ScenarioDocument, type ManifestSource } from './scenario/parse-scenario';
export type { ScenarioInput, ScenarioResult, Step, StepResult } from './scenario/scenario-types';
