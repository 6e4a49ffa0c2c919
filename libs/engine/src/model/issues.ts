/**
 * Problems are data inside the engine: returned, never thrown. `path` is the field path inside the
 * object (`spec.ports[0].port`); `doc` the 1-based document index across all input files.
 */
export interface EngineIssue {
  /** `info`: something the engine inferred or summarised, worth knowing but not a problem. */
  severity: 'error' | 'warning' | 'info';
  code: IssueCode;
  message: string;
  doc?: number;
  /** 1-based index of the object inside a List document (`kubectl get -o yaml` output). */
  item?: number;
  file?: string;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  object?: string;
  path?: string;
}

export type IssueCode =
  | 'YAML_SYNTAX'
  | 'INPUT_TOO_LARGE'
  | 'TOO_MANY_OBJECTS'
  | 'YAML_ALIAS_LIMIT'
  | 'NESTING_TOO_DEEP'
  | 'LIMIT_EXCEEDED'
  | 'NOT_AN_OBJECT'
  | 'MISSING_FIELD'
  | 'INVALID_FIELD'
  | 'INVALID_NAME'
  | 'INVALID_IP'
  | 'INVALID_CIDR'
  | 'INVALID_SELECTOR'
  | 'INVALID_LABEL'
  | 'DUPLICATE_OBJECT'
  | 'NAMESPACE_NOT_FOUND'
  | 'IP_OUT_OF_RANGE'
  | 'IP_ALLOCATED'
  | 'PORT_ALLOCATED'
  | 'PORT_OUT_OF_RANGE'
  | 'RANGE_EXHAUSTED'
  | 'IMMUTABLE_FIELD'
  | 'NOT_FOUND'
  | 'UNKNOWN_KIND'
  | 'UNSUPPORTED'
  | 'UNSCHEDULABLE'
  | 'POLICY_SELECTS_NO_POD'
  | 'POLICY_UNKNOWN_NAMESPACE_LABEL'
  | 'POLICY_PEER_MATCHES_NOTHING'
  | 'POLICY_NAMED_PORT_UNDEFINED'
  | 'POLICY_EGRESS_BLOCKS_DNS'
  | 'POLICY_REDUNDANT'
  | 'LB_ALLOCATION_FAILED'
  | 'LB_NOT_ADVERTISED'
  | 'LB_PENDING'
  | 'LB_NO_NODE_PORT'
  | 'REFERENCE_NOT_FOUND'
  | 'LB_NO_ENDPOINTS'
  | 'LB_NO_LOCAL_ENDPOINT'
  | 'SELECTOR_MATCHES_NOTHING'
  | 'NOT_SIMULATED'
  | 'NAMESPACES_CREATED'
  | 'INFERRED'
  | 'ADDRESS_CONFLICT'
  | 'NAMED_PORT_NOT_FOUND';

/** Where an object was read: its document, its item in a List document, its file. */
export interface InputLocation {
  doc: number;
  item?: number;
  file?: string;
}

/** The location fields of an issue about an object read at `at`. */
export function locationFields(at: InputLocation): InputLocation {
  const fields: InputLocation = { doc: at.doc };
  if (at.item !== undefined) fields.item = at.item;
  if (at.file !== undefined) fields.file = at.file;
  return fields;
}

/** `doc 3 Service default/website: spec.ports[0].port: must be 1-65535` */
export function formatIssue(issue: EngineIssue): string {
  const where: string[] = [];
  if (issue.doc !== undefined)
    where.push(issue.file ? `${issue.file} doc ${issue.doc}` : `doc ${issue.doc}`);
  if (issue.item !== undefined) where.push(`item ${issue.item}`);
  if (issue.object) where.push(issue.object.replace('/', ' '));
  const head = where.length ? `${where.join(' ')}: ` : '';
  const path = issue.path ? `${issue.path}: ` : '';
  return `${head}${path}${issue.message}`;
}

export function objectRef(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}
