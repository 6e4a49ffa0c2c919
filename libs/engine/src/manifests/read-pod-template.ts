import type {
  Container,
  ContainerPort,
  DnsPolicy,
  Labels,
  Pod,
  PodDnsConfig,
  PodTemplate,
  Protocol,
  Toleration,
} from '../model/resources';
import { fieldSet, FieldReader, isObject, joinPath, type JsonObject } from './field-reader';
import { manifestMeta } from './object-meta';
import { checkIPv4 } from './read-ip-fields';
import { readLabels, type ReadMeta } from './read-metadata';
import { PROTOCOLS } from './read-service';
import { nameProblem, portNameProblem, portNumberProblem } from './validate-names';
import { LISTEN_PORTS_ANNOTATION, LISTEN_PORTS_SYNTAX, parseListenPorts } from './listen-ports';

/** PodSpec, Container and ContainerPort fields (k8s.io/api core/v1 types.go). */
const POD_SPEC_FIELDS = fieldSet(
  'volumes',
  'initContainers',
  'containers',
  'ephemeralContainers',
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'dnsPolicy',
  'nodeSelector',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'nodeName',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'securityContext',
  'imagePullSecrets',
  'hostname',
  'subdomain',
  'affinity',
  'schedulerName',
  'tolerations',
  'hostAliases',
  'priorityClassName',
  'priority',
  'dnsConfig',
  'readinessGates',
  'runtimeClassName',
  'enableServiceLinks',
  'preemptionPolicy',
  'overhead',
  'topologySpreadConstraints',
  'setHostnameAsFQDN',
  'os',
  'hostUsers',
  'schedulingGates',
  'resourceClaims',
  'resources',
);
const CONTAINER_FIELDS = fieldSet(
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'ports',
  'envFrom',
  'env',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'restartPolicyRules',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
);
const PORT_FIELDS = fieldSet('name', 'hostPort', 'containerPort', 'protocol', 'hostIP');
const TOLERATION_FIELDS = fieldSet('key', 'operator', 'value', 'effect', 'tolerationSeconds');
const DNS_CONFIG_FIELDS = fieldSet('nameservers', 'searches', 'options');
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
/** validation.go validatePodDNSConfig: MaxDNSNameservers = 3, MaxDNSSearchPaths = 32. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
/** netplay extension: mark a pod not ready without writing a status block. */
export const READY_ANNOTATION = 'netplay.dev/ready';

/** A pod spec plus the labels/annotations it carries (a Pod's own, or a workload template's). */
export function readPodSpec(
  r: FieldReader,
  spec: JsonObject,
  path: string,
  labels: Labels,
  annotations: Labels,
): PodTemplate {
  r.unknownFields(spec, path, POD_SPEC_FIELDS);
  const hostNetwork = r.boolean(spec, 'hostNetwork', path) ?? false;
  const dnsPolicy: DnsPolicy = r.oneOf(spec, 'dnsPolicy', path, DNS_POLICIES) ?? 'ClusterFirst';
  const template: PodTemplate = {
    labels,
    annotations,
    containers: readContainers(r, spec, path),
    hostNetwork,
    dnsPolicy,
    enableServiceLinks: r.boolean(spec, 'enableServiceLinks', path) ?? true,
    nodeSelector: readLabels(r, spec, 'nodeSelector', path),
    tolerations: readTolerations(r, spec, path),
    ready: annotations[READY_ANNOTATION] !== 'false',
  };
  const listen = annotations[LISTEN_PORTS_ANNOTATION];
  if (listen !== undefined && !parseListenPorts(listen))
    r.warn(
      'INVALID_FIELD',
      `${path === 'spec' ? 'metadata' : 'spec.template.metadata'}.annotations.${LISTEN_PORTS_ANNOTATION}`,
      `Invalid value: "${listen}": must be ${LISTEN_PORTS_SYNTAX}; ignored`,
    );
  // SetDefaults_Pod: on the host network a container port is a host port (hostPort defaults to containerPort).
  if (hostNetwork)
    for (const container of template.containers)
      for (const port of container.ports) port.hostPort ??= port.containerPort;
  const dnsConfig = readDnsConfig(r, spec, path, dnsPolicy);
  if (dnsConfig) template.dnsConfig = dnsConfig;
  const nodeName = r.string(spec, 'nodeName', path);
  if (nodeName) template.nodeName = nodeName;
  for (const field of ['hostname', 'subdomain'] as const) {
    const value = r.string(spec, field, path);
    if (value === undefined || value === '') continue;
    const problem = nameProblem(value, 'dns1123-label');
    if (problem)
      r.error('INVALID_FIELD', joinPath(path, field), `Invalid value: "${value}": ${problem}`);
    template[field] = value;
  }
  return template;
}

/** Pod template of a workload: `spec.template.metadata.{labels,annotations}` and `spec.template.spec`. */
export function readTemplate(r: FieldReader, spec: JsonObject): PodTemplate {
  const template = r.object(spec, 'template', 'spec') ?? {};
  if (spec.template === undefined) r.error('MISSING_FIELD', 'spec.template', 'Required value');
  const meta = r.object(template, 'metadata', 'spec.template') ?? {};
  const labels = readLabels(r, meta, 'labels', 'spec.template.metadata');
  const annotations = r.stringMap(meta, 'annotations', 'spec.template.metadata') ?? {};
  const podSpec = r.object(template, 'spec', 'spec.template') ?? {};
  return readPodSpec(r, podSpec, 'spec.template.spec', labels, annotations);
}

/**
 * A v1 Pod. A bare manifest is not yet scheduled and has no IP: the scheduler and IPAM fill those
 * in. A pod read from a cluster dump (`kubectl get -o yaml`) keeps what its status says: its IP,
 * host IP, phase and Ready condition, with spec.nodeName as its node; its controller
 * ownerReference makes it its controller's pod.
 */
export function readPod(r: FieldReader, raw: JsonObject, meta: ReadMeta): Pod {
  const spec = r.object(raw, 'spec', '') ?? {};
  const {
    labels: _labels,
    annotations: _annotations,
    nodeName,
    ...template
  } = readPodSpec(r, spec, 'spec', meta.labels, meta.annotations);
  if (readyConditionFalse(r, raw)) template.ready = false;
  const pod: Pod = {
    ...manifestMeta(meta, r.context),
    ...template,
    uid: '',
    nodeName: nodeName ?? '',
    ip: '',
    phase: 'Pending',
    terminating: meta.deleting,
  };
  if (meta.controllerRef) {
    const { apiVersion, kind, name } = meta.controllerRef;
    pod.owner = apiVersion ? { kind, name, apiVersion } : { kind, name };
  }
  readPodStatus(r, raw, pod);
  return pod;
}

/** status.conditions[type=Ready].status == "False", as `kubectl get -o yaml` output of an unready pod carries. */
function readyConditionFalse(r: FieldReader, raw: JsonObject): boolean {
  const status = r.object(raw, 'status', '');
  if (!status) return false;
  return r
    .objects(status, 'conditions', 'status')
    .some(([c]) => c.type === 'Ready' && c.status === 'False');
}

/** The phases after which a pod holds no address (kubelet tears its sandbox down). */
export const FINISHED_PHASES = ['Succeeded', 'Failed'];

/** status.phase as written, for a reader that sets finished pods aside. */
export function podStatusPhase(raw: JsonObject): string | undefined {
  const status = raw.status;
  return isObject(status) && typeof status.phase === 'string' ? status.phase : undefined;
}

/** status.podIP (podIPs[0] agrees), status.hostIP and status.phase of a running pod. */
function readPodStatus(r: FieldReader, raw: JsonObject, pod: Pod): void {
  const status = r.object(raw, 'status', '');
  if (!status) return;
  const hostIP = r.string(status, 'hostIP', 'status');
  if (hostIP && checkIPv4(r, hostIP, 'status.hostIP')) pod.hostIP = hostIP;
  const podIP = r.string(status, 'podIP', 'status');
  if (!podIP || !checkIPv4(r, podIP, 'status.podIP')) return;
  if (!pod.nodeName) {
    r.error(
      'MISSING_FIELD',
      'spec.nodeName',
      'Required value: a pod with status.podIP runs on a node',
    );
    return;
  }
  pod.ip = podIP;
  pod.phase = 'Running';
}

function readContainers(r: FieldReader, spec: JsonObject, path: string): Container[] {
  const items = r.objects(spec, 'containers', path);
  if (spec.containers === undefined)
    r.error('MISSING_FIELD', joinPath(path, 'containers'), 'Required value');
  const containers: Container[] = [];
  const portNames = new Set<string>();
  for (const [item, itemPath] of items) {
    r.unknownFields(item, itemPath, CONTAINER_FIELDS);
    const name = r.string(item, 'name', itemPath) ?? '';
    if (!name) r.error('MISSING_FIELD', `${itemPath}.name`, 'Required value');
    const image = r.string(item, 'image', itemPath) ?? '';
    containers.push({ name, image, ports: readContainerPorts(r, item, itemPath, portNames) });
  }
  return containers;
}

function readContainerPorts(
  r: FieldReader,
  container: JsonObject,
  path: string,
  podPortNames: Set<string>,
): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const [item, itemPath] of r.objects(container, 'ports', path)) {
    r.unknownFields(item, itemPath, PORT_FIELDS);
    const containerPort = r.integer(item, 'containerPort', itemPath);
    if (containerPort === undefined) {
      if (item.containerPort === undefined)
        r.error('MISSING_FIELD', `${itemPath}.containerPort`, 'Required value');
      continue;
    }
    const problem = portNumberProblem(containerPort);
    if (problem) r.error('INVALID_FIELD', `${itemPath}.containerPort`, problem);
    const protocol: Protocol = r.oneOf(item, 'protocol', itemPath, PROTOCOLS) ?? 'TCP';
    const port: ContainerPort = { containerPort, protocol };
    const name = r.string(item, 'name', itemPath);
    if (name) {
      const nameIssue = portNameProblem(name);
      if (nameIssue)
        r.error('INVALID_FIELD', `${itemPath}.name`, `Invalid value: "${name}": ${nameIssue}`);
      // Port names are unique across all containers of a pod (validation.go validateContainerPorts).
      if (podPortNames.has(name))
        r.error('INVALID_FIELD', `${itemPath}.name`, `Duplicate value: "${name}"`);
      podPortNames.add(name);
      port.name = name;
    }
    const hostPort = r.integer(item, 'hostPort', itemPath);
    if (hostPort !== undefined && hostPort !== 0) {
      const hostProblem = portNumberProblem(hostPort);
      if (hostProblem) r.error('INVALID_FIELD', `${itemPath}.hostPort`, hostProblem);
      port.hostPort = hostPort;
    }
    ports.push(port);
  }
  return ports;
}

function readTolerations(r: FieldReader, spec: JsonObject, path: string): Toleration[] {
  const out: Toleration[] = [];
  for (const [item, itemPath] of r.objects(spec, 'tolerations', path)) {
    r.unknownFields(item, itemPath, TOLERATION_FIELDS);
    const operator = r.oneOf(item, 'operator', itemPath, ['Exists', 'Equal'] as const) ?? 'Equal';
    const toleration: Toleration = { operator };
    const key = r.string(item, 'key', itemPath);
    const value = r.string(item, 'value', itemPath);
    const effect = r.oneOf(item, 'effect', itemPath, TAINT_EFFECTS);
    if (operator === 'Exists' && value)
      r.error(
        'INVALID_FIELD',
        `${itemPath}.operator`,
        'Invalid value: "Exists": value must be empty when `operator` is \'Exists\'',
      );
    if (!key && operator !== 'Exists')
      r.error(
        'INVALID_FIELD',
        `${itemPath}.operator`,
        `Invalid value: "${operator}": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`,
      );
    if (key) toleration.key = key;
    if (value !== undefined) toleration.value = value;
    if (effect) toleration.effect = effect;
    out.push(toleration);
  }
  return out;
}

/** Pod dnsConfig with validatePodDNSConfig's rules; the kubelet merges it into resolv.conf (dns/). */
function readDnsConfig(
  r: FieldReader,
  spec: JsonObject,
  path: string,
  policy: DnsPolicy,
): PodDnsConfig | undefined {
  const here = joinPath(path, 'dnsConfig');
  const raw = r.object(spec, 'dnsConfig', path);
  if (!raw) {
    if (policy === 'None')
      r.error(
        'MISSING_FIELD',
        here,
        'Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      );
    return undefined;
  }
  r.unknownFields(raw, here, DNS_CONFIG_FIELDS);
  const nameservers = r.strings(raw, 'nameservers', here);
  nameservers.forEach((ns, i) => checkIPv4(r, ns, `${here}.nameservers[${i}]`));
  if (nameservers.length > MAX_NAMESERVERS)
    r.error(
      'INVALID_FIELD',
      `${here}.nameservers`,
      `Invalid value: must not have more than ${MAX_NAMESERVERS} nameservers: [${nameservers.join(' ')}]`,
    );
  if (policy === 'None' && nameservers.length === 0)
    r.error(
      'MISSING_FIELD',
      `${here}.nameservers`,
      'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    );
  const searches = r.strings(raw, 'searches', here);
  if (searches.length > MAX_SEARCHES)
    r.error(
      'INVALID_FIELD',
      `${here}.searches`,
      `Invalid value: must not have more than ${MAX_SEARCHES} search paths`,
    );
  searches.forEach((s, i) => {
    const problem = nameProblem(s.replace(/\.$/, ''), 'dns1123-subdomain');
    if (problem)
      r.error('INVALID_FIELD', `${here}.searches[${i}]`, `Invalid value: "${s}": ${problem}`);
  });
  const options: { name: string; value?: string }[] = [];
  for (const [item, itemPath] of r.objects(raw, 'options', here)) {
    const name = r.string(item, 'name', itemPath);
    if (!name) {
      r.error('MISSING_FIELD', `${itemPath}.name`, 'Required value: must not be empty');
      continue;
    }
    const value = r.string(item, 'value', itemPath);
    options.push(value !== undefined ? { name, value } : { name });
  }
  return { nameservers, searches, options };
}
