/**
 * The engine's public API: everything outside libs/engine imports from `@netplay/engine`.
 * Pure and deterministic: data in, data out.
 */
export {
  loadCluster,
  loadParsedDocuments,
  type LoadOptions,
  type LoadResult,
} from './cluster/load-cluster';
export {
  DEFAULT_LIMITS,
  type InputLimits,
  type ManifestFile,
  type ManifestSet,
  type ParsedDoc,
} from './manifests/manifest-set';
export { parseYamlDocuments } from './manifests/parse-yaml';
export {
  parseKindDocument,
  type KindDocumentProblemCode,
  type KindDocumentShape,
} from './manifests/parse-kind-document';
export { readManifests } from './manifests/read-manifests';
export { createCluster } from './cluster/create-cluster';
export { applyMutation, cloneState, type Mutation } from './cluster/mutations';

export type { ClusterState } from './model/cluster-state';
export { defaultClusterConfig, type ClusterConfig } from './model/cluster-config';
export type * from './model/resources';
export { formatIssue, objectRef, type EngineIssue, type IssueCode } from './model/issues';
export { DROP_REASONS, type DropReason } from './trace/trace-types';
export type {
  Backend,
  HttpResult,
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
} from './trace/trace-types';

export { resolveSource, findPod, type ProbeSource } from './trace/source';
export type { ProbeSpec, DnsProbeSpec } from './trace/probe-spec';
export { traceProbe } from './probe/probe';
export { dnsProbe } from './probe/dns-probe';
export { traceToPcap, pcapFrameCount } from './pcap/trace-to-pcap';

export { resolvConfFor, formatResolvConf, type ResolvConf } from './dns/resolv-conf';
export { resolveName, searchCandidates } from './dns/stub-resolver';
export { coreDnsAnswer } from './dns/cluster-zone';
export { listClusterRecords } from './dns/list-cluster-records';
export { serviceEnvVars } from './dns/service-env';
export { renderRules } from './kube-proxy/render-rules';
export { routingTable, formatRoutes, type Route } from './cni/routing-table';

export { getView, resolveKind, VIEW_KINDS, type ViewOptions } from './views/get-view';
export type { ViewResult } from './views/view-result';
export { isReadingStep, runScenario, runSteps } from './scenario/run-scenario';
export {
  parseScenario,
  readScenarioSteps,
  type ScenarioDocument,
  type ManifestSource,
} from './scenario/parse-scenario';
export {
  STEP_ACTIONS,
  type ScenarioInput,
  type ScenarioResult,
  type Step,
  type StepKind,
  type StepResult,
} from './scenario/scenario-types';
export { readPolicies } from './policy/read-policies';
export {
  evaluateConnection,
  policyEnforcement,
  type PolicyEnforcement,
} from './policy/evaluate-connection';
export type * from './policy/policy-model';
export {
  explainPolicies,
  type ExplainOptions,
  type PodPolicyExplanation,
  type PolicyExplanation,
} from './policy-explain/explain-policies';
export { describeRule, describeClusterRule } from './policy-explain/describe-rule';
export { formatExplanation } from './policy-explain/format-explanation';
export { lintPolicies } from './policy-explain/lint-policies';
export {
  suggestFix,
  type PolicySuggestion,
  type SuggestedChange,
} from './policy-explain/suggest-fix';
export { connectivityMatrix, matrixForPolicies } from './policy-matrix/connectivity-matrix';
export { groupMatrix, type GroupedMatrix, type MatrixGroup } from './policy-matrix/group-matrix';
export type { Matrix, MatrixOptions, MatrixPeer } from './policy-matrix/matrix-types';
export {
  renderMatrixTable,
  renderMatrixCsv,
  renderMatrixMarkdown,
  renderGroupedTable,
  matrixJson,
} from './policy-matrix/render-matrix';
export {
  policyDiff,
  diffMatrices,
  renderPolicyDiff,
  type PolicyDiff,
} from './policy-matrix/policy-diff';

export {
  CONTROLLER_PROFILES,
  type ControllerProfile,
  type IngressControllerSpec,
} from './ingress/controller-profiles';
export { readIngressObjects } from './ingress/read-ingress';
export { servedIngresses, classOfIngress } from './ingress/ingress-classes';
export { routeIngressRequest, type IngressRoute } from './ingress/route-ingress';
export { ingressAddresses } from './ingress/ingress-status';
export type { HttpRequest } from './ingress/http-request';
export type { Ingress, IngressClass } from './ingress/ingress-types';
export { readGatewayObjects } from './gateway-api/read-gateway';
export { routeGatewayRequest, type GatewayRoute } from './gateway-api/route-gateway';
export type { Gateway, GatewayClass, HttpRoute } from './gateway-api/gateway-types';

export { lintNorthSouth } from './load-balancer/lint-north-south';
export { lintUnsimulated } from './unsimulated/unsimulated-findings';
export { announcementFor, electL2Announcer, type Announcement } from './load-balancer/announcement';
export { activeProvider, loadBalancerConfig } from './load-balancer/providers';
export { externalZoneRecords } from './external/external-zone';
export { isPortForwardSource, portForwardProbe } from './probe/port-forward';
export { groupedConnectivity } from './policy-matrix/grouped-connectivity';
export { policyReach, type PolicyReach } from './policy-matrix/policy-reach';
export { renderProbeTrace, renderHops, renderNotes, renderQueries } from './render/trace-text';
export { renderDnsTrace } from './render/dns-text';
export { renderScenario } from './render/scenario-text';
export { endpointText, packetText } from './render/packet-text';
export { renderScenarioDot, renderTraceDot } from './render/trace-dot';
export { renderScenarioMermaid, renderTraceMermaid } from './render/trace-mermaid';
export { renderScenarioSvg, renderTraceSvg } from './render/trace-svg';
export { renderMatrixSvg } from './render/matrix-svg';
export { DEFAULT_CREATION_LIMITS, type CreationLimits } from './model/creation-limits';
