// Scenario steps and their results as OpenAPI components: a run's `steps` (what was submitted, the
// engine's Step) and `result` (the engine's ScenarioResult, whose probe and DNS results are the
// trace components). One schema per action of STEP_ACTIONS, so the document names the same actions
// the engine accepts (typed by its StepKind, so a new action does not compile without a schema), and
// openapi.spec.ts validates real engine results against these schemas.
import { STEP_ACTIONS, type StepKind } from '@netplay/engine';
import { componentRef } from './trace-components';

const namedStep = (action: string, body: Record<string, unknown>, description: string) => ({
  type: 'object',
  description,
  required: [action],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'Shown in the result and the text rendering' },
    [action]: body,
  },
});

const text = (description: string) => ({ type: 'string', minLength: 1, description });
const nodeName = text('A node name');
const namespace = { type: 'string', description: 'Default: default' };

/** One schema per step action, keyed by the action (every one of the engine's STEP_ACTIONS). */
export const STEP_ACTION_SCHEMAS: Record<StepKind, Record<string, unknown>> = {
  probe: namedStep(
    'probe',
    {
      type: 'object',
      required: ['from', 'to'],
      additionalProperties: false,
      properties: {
        from: text('A pod (`namespace/name`, a workload name), `node/NAME` or `external`'),
        to: text('A URL, `host:port`, a Service name or an address'),
        protocol: componentRef('Protocol'),
        host: text("Host header of a URL probe when it differs from the URL's host"),
      },
    },
    'Send a packet and trace it hop by hop',
  ),
  dns: namedStep(
    'dns',
    {
      type: 'object',
      required: ['from', 'name'],
      additionalProperties: false,
      properties: {
        from: text('The pod whose resolver asks'),
        name: text('The name to resolve, as the application would'),
        type: componentRef('DnsRecordType'),
      },
    },
    'Resolve a name from a pod, through its resolv.conf and CoreDNS',
  ),
  get: namedStep(
    'get',
    {
      type: 'object',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: text('pods, services, endpointslices, resolv.conf, kube-proxy-rules, routes, …'),
        name: { type: 'string' },
        namespace,
        allNamespaces: { type: 'boolean' },
        wide: { type: 'boolean' },
        output: { type: 'string', enum: ['wide', 'json', 'yaml'] },
        showLabels: { type: 'boolean' },
        pod: { type: 'string', description: 'For the resolv.conf and env views' },
        node: { type: 'string', description: 'For the kube-proxy-rules and routes views' },
      },
    },
    'A view of the cluster, as kubectl (or the node) would print it',
  ),
  scale: namedStep(
    'scale',
    {
      type: 'object',
      required: ['replicas'],
      additionalProperties: false,
      minProperties: 2,
      properties: {
        replicas: { type: 'integer', minimum: 0 },
        namespace,
        deployment: { type: 'string', minLength: 1 },
        statefulset: { type: 'string', minLength: 1 },
      },
    },
    'Scale a Deployment or StatefulSet (exactly one of them)',
  ),
  delete: namedStep(
    'delete',
    {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        namespace,
        pod: { type: 'string', minLength: 1, description: 'A pod, or a workload: its first pod' },
        service: { type: 'string', minLength: 1 },
        deployment: { type: 'string', minLength: 1 },
        statefulset: { type: 'string', minLength: 1 },
        daemonset: { type: 'string', minLength: 1 },
      },
    },
    'Delete one object (exactly one of pod, service, deployment, statefulset, daemonset)',
  ),
  setReady: namedStep(
    'setReady',
    {
      type: 'object',
      required: ['pod', 'ready'],
      additionalProperties: false,
      properties: { pod: text('The pod'), ready: { type: 'boolean' }, namespace },
    },
    "Set a pod's readiness",
  ),
  cordon: namedStep('cordon', nodeName, 'Mark a node unschedulable'),
  uncordon: namedStep('uncordon', nodeName, 'Mark a node schedulable again'),
  failNode: namedStep('failNode', nodeName, 'Take a node down: its pods become unready'),
  recoverNode: namedStep('recoverNode', nodeName, 'Bring a failed node back'),
  apply: namedStep('apply', text('YAML manifests'), 'Apply more manifests'),
  deleteManifest: namedStep('deleteManifest', text('YAML manifests'), 'Delete the objects named'),
};

/** The components for steps and results, beside the trace components they refer to. */
export function runComponents(): Record<string, unknown> {
  const actions = STEP_ACTIONS;
  return {
    Step: {
      description: 'One scenario step: exactly one action besides the optional `name`',
      oneOf: actions.map((action) => componentRef(stepSchemaName(action))),
    },
    ...Object.fromEntries(
      actions.map((action) => [stepSchemaName(action), STEP_ACTION_SCHEMAS[action]]),
    ),
    StepKind: { type: 'string', enum: actions },
    ViewStepResult: {
      type: 'object',
      required: ['view', 'issues'],
      additionalProperties: false,
      properties: {
        view: { type: 'string', description: 'The text kubectl (or the node) would print' },
        issues: { type: 'array', items: componentRef('EngineIssue') },
      },
    },
    MutationStepResult: {
      type: 'object',
      required: ['mutation', 'issues'],
      additionalProperties: false,
      properties: {
        mutation: {
          type: 'string',
          description: 'What changed, in a sentence, then the pods that went away or appeared',
        },
        issues: { type: 'array', items: componentRef('EngineIssue') },
      },
    },
    StepResult: {
      type: 'object',
      required: ['index', 'kind', 'result'],
      additionalProperties: false,
      properties: {
        index: { type: 'integer', minimum: 0 },
        name: { type: 'string' },
        kind: componentRef('StepKind'),
        result: {
          description:
            'probe: a ProbeTrace; dns: a DnsTrace; get: a ViewStepResult; the other kinds: a MutationStepResult',
          oneOf: [
            componentRef('ProbeTrace'),
            componentRef('DnsTrace'),
            componentRef('ViewStepResult'),
            componentRef('MutationStepResult'),
          ],
        },
      },
    },
    ScenarioResult: {
      type: 'object',
      required: ['issues', 'steps'],
      additionalProperties: false,
      properties: {
        issues: {
          type: 'array',
          description: 'Problems loading the manifests (a run with load errors runs no step)',
          items: componentRef('EngineIssue'),
        },
        steps: { type: 'array', items: componentRef('StepResult') },
      },
    },
  };
}

function stepSchemaName(action: string): string {
  return `${action[0].toUpperCase()}${action.slice(1)}Step`;
}
