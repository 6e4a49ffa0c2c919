import type {
  DaemonSet,
  Deployment,
  LabelSelector,
  PodTemplate,
  ReplicaSet,
  ReplicationController,
  StatefulSet,
} from '../model/resources';
import { selectorMatches } from '../util/labels';
import { fieldSet, FieldReader, type JsonObject } from './field-reader';
import { manifestMeta } from './object-meta';
import { readLabels, type ReadMeta } from './read-metadata';
import { readTemplate } from './read-pod-template';
import { readLabelSelector } from './read-selector';

/** The label the Deployment controller puts on its ReplicaSets and their pods (apps/v1 DefaultDeploymentUniqueLabelKey). */
const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** apps/v1 spec fields (k8s.io/api apps/v1 types.go), union over the four workload kinds. */
const COMMON_FIELDS = ['selector', 'template', 'minReadySeconds', 'revisionHistoryLimit'];
const SPEC_FIELDS = {
  Deployment: fieldSet(
    ...COMMON_FIELDS,
    'replicas',
    'strategy',
    'paused',
    'progressDeadlineSeconds',
  ),
  ReplicaSet: fieldSet(...COMMON_FIELDS, 'replicas'),
  StatefulSet: fieldSet(
    ...COMMON_FIELDS,
    'replicas',
    'serviceName',
    'volumeClaimTemplates',
    'podManagementPolicy',
    'updateStrategy',
    'persistentVolumeClaimRetentionPolicy',
    'ordinals',
  ),
  DaemonSet: fieldSet(...COMMON_FIELDS, 'updateStrategy'),
};

interface WorkloadCore {
  selector: LabelSelector;
  template: PodTemplate;
}

/**
 * Selector and template shared by every workload. apps/v1 requires `spec.selector` and the API
 * server rejects a selector that does not select the template's labels (apps validation
 * ValidatePodTemplateSpecForReplicaSet: "`selector` does not match template `labels`").
 */
function readWorkloadCore(
  r: FieldReader,
  spec: JsonObject,
  kind: keyof typeof SPEC_FIELDS,
): WorkloadCore {
  r.unknownFields(spec, 'spec', SPEC_FIELDS[kind]);
  const selector = readLabelSelector(r, spec, 'selector', 'spec');
  const template = readTemplate(r, spec);
  if (!selector) {
    r.error('MISSING_FIELD', 'spec.selector', 'Required value');
    return { selector: { matchLabels: {}, matchExpressions: [] }, template };
  }
  if (Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0)
    r.error(
      'INVALID_SELECTOR',
      'spec.selector',
      `Invalid value: empty selector is invalid for ${kind === 'ReplicaSet' ? 'deployment' : kind.toLowerCase()}`,
    );
  else if (!selectorMatches(selector, template.labels))
    r.error(
      'INVALID_SELECTOR',
      'spec.template.metadata.labels',
      'Invalid value: `selector` does not match template `labels`',
    );
  return { selector, template };
}

function readReplicas(r: FieldReader, spec: JsonObject): number {
  const replicas = r.integer(spec, 'replicas', 'spec');
  if (replicas !== undefined && replicas < 0)
    r.error(
      'INVALID_FIELD',
      'spec.replicas',
      `Invalid value: ${replicas}: must be greater than or equal to 0`,
    );
  return replicas === undefined || replicas < 0 ? 1 : replicas;
}

export function readDeployment(r: FieldReader, raw: JsonObject, meta: ReadMeta): Deployment {
  const spec = r.object(raw, 'spec', '') ?? {};
  const core = readWorkloadCore(r, spec, 'Deployment');
  return {
    ...manifestMeta(meta, r.context),
    replicas: readReplicas(r, spec),
    ...core,
    revision: 1,
  };
}

/**
 * A ReplicaSet; one a Deployment made (read from a cluster dump) names it in its controller
 * ownerReference and carries the `pod-template-hash` label the Deployment controller gave it, so
 * the Deployment adopts it instead of creating its own.
 */
export function readReplicaSet(r: FieldReader, raw: JsonObject, meta: ReadMeta): ReplicaSet {
  const spec = r.object(raw, 'spec', '') ?? {};
  const core = readWorkloadCore(r, spec, 'ReplicaSet');
  const rs: ReplicaSet = {
    ...manifestMeta(meta, r.context),
    replicas: readReplicas(r, spec),
    ...core,
  };
  if (meta.controllerRef?.kind === 'Deployment')
    rs.owner = { kind: 'Deployment', name: meta.controllerRef.name };
  const hash = meta.labels[POD_TEMPLATE_HASH_LABEL];
  if (hash) rs.templateHash = hash;
  return rs;
}

const RC_SPEC_FIELDS = fieldSet('replicas', 'minReadySeconds', 'selector', 'template');

/**
 * v1 ReplicationController (core validation ValidateReplicationControllerSpec): `spec.selector` is
 * a plain map that defaults to the template's labels (SetDefaults_ReplicationController), must not
 * be empty, and must match the template's labels; `replicas` defaults to 1.
 */
export function readReplicationController(
  r: FieldReader,
  raw: JsonObject,
  meta: ReadMeta,
): ReplicationController {
  const spec = r.object(raw, 'spec', '') ?? {};
  r.unknownFields(spec, 'spec', RC_SPEC_FIELDS);
  const template = readTemplate(r, spec);
  const given = readLabels(r, spec, 'selector', 'spec');
  const matchLabels = Object.keys(given).length ? given : { ...template.labels };
  const selector: LabelSelector = { matchLabels, matchExpressions: [] };
  if (!Object.keys(matchLabels).length) r.error('MISSING_FIELD', 'spec.selector', 'Required value');
  else if (!selectorMatches(selector, template.labels))
    r.error(
      'INVALID_SELECTOR',
      'spec.template.metadata.labels',
      `Invalid value: ${JSON.stringify(template.labels)}: \`selector\` does not match template \`labels\``,
    );
  return { ...manifestMeta(meta, r.context), replicas: readReplicas(r, spec), selector, template };
}

/** `serviceName` names the governing headless Service that gives the pods DNS names; optional since 1.30 but usually set. */
export function readStatefulSet(r: FieldReader, raw: JsonObject, meta: ReadMeta): StatefulSet {
  const spec = r.object(raw, 'spec', '') ?? {};
  const core = readWorkloadCore(r, spec, 'StatefulSet');
  const serviceName = r.string(spec, 'serviceName', 'spec') ?? '';
  return {
    ...manifestMeta(meta, r.context),
    replicas: readReplicas(r, spec),
    serviceName,
    ...core,
  };
}

export function readDaemonSet(r: FieldReader, raw: JsonObject, meta: ReadMeta): DaemonSet {
  const spec = r.object(raw, 'spec', '') ?? {};
  return { ...manifestMeta(meta, r.context), ...readWorkloadCore(r, spec, 'DaemonSet') };
}
