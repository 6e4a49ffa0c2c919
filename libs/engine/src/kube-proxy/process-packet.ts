import type { ClusterState } from '../model/cluster-state';
import type { Pod, Service, ServicePort } from '../model/resources';
import type { DropReason } from '../trace/trace-types';
import { cidrContains, parseCidr } from '../util/ip';
import { iptablesLocalChain, iptablesServiceChain, servicePortName } from './chain-names';
import { chooseEndpoint, type EndpointChoice } from './choose-endpoint';
import {
  categorizeEndpoints,
  internalPolicyLocal,
  wantsTopology,
  type CategorizedEndpoints,
} from './endpoints';
import { iptablesPathRules } from './iptables-rules';
import { ipvsPathRules, ipvsScheduler, virtualServerLine } from './ipvs-rules';
import { isNodeLocalAddress, masqueradeDecision } from './masquerade';
import { nftablesPathRules, nftChains } from './nftables-rules';
import { rejectOrDropRules, type StopKind } from './stop-rules';
import {
  matchService,
  type ServicePacket,
  type ServicePacketContext,
  type VipKind,
} from './service-match';
import type { ServicePath } from './service-path';
import { sourceRangeMatch } from './source-ranges';

export type KubeProxyOutcome =
  | { kind: 'no-service' }
  | {
      kind: 'dnat';
      service: Service;
      servicePort: ServicePort;
      vip: VipKind;
      endpoint: { ip: string; port: number; pod?: Pod; nodeName?: string };
      /** Overall chance of this endpoint for a new connection (1/n for random choice, 1 when sticky). */
      probability: number;
      /** iptables: the `--probability` of the KUBE-SVC rule that matched; null for the last rule or other modes. */
      ruleProbability: string | null;
      viaAffinity: boolean;
      masquerade: boolean;
      snatIP?: string;
      /** The rule lines / chain entries traversed, in the mode's own syntax. */
      rules: string[];
      /** The chain (or IPVS virtual server) that load-balanced: `KUBE-SVC-…`, `service-…`, `TCP  10.96.0.10:53 rr`. */
      chain: string;
      description: string;
      /** The node whose kube-proxy rules handled the packet (for a NodePort: the node owning the IP). */
      handledOn: string;
      notes: string[];
    }
  | {
      kind: 'reject' | 'drop';
      dropReason: DropReason;
      rules: string[];
      description: string;
      notes: string[];
      service?: Service;
      servicePort?: ServicePort;
      /**
       * True when kube-proxy has no rule for the address at all (iptables/IPVS): the packet follows
       * the node's default route out of the cluster and is lost there, rather than dropped here.
       */
      noRule?: boolean;
    };

/**
 * What kube-proxy on a node does with a packet: no service address (route normally), DNAT to a
 * chosen endpoint (with masquerade decision and the rules traversed), or REJECT / DROP. Advances
 * the cluster's random stream and session-affinity table when it picks an endpoint.
 */
export function kubeProxyProcess(
  state: ClusterState,
  packet: ServicePacket,
  ctx: ServicePacketContext,
): KubeProxyOutcome {
  const match = matchService(state, packet, ctx);
  if (!match) return { kind: 'no-service' };
  const mode = state.config.kubeProxy.mode;
  const where = `${packet.dstIP}:${packet.dstPort}/${packet.protocol}`;
  if (match.kind === 'unallocated') {
    if (match.action === 'drop')
      return stop(
        state,
        'drop',
        'UNALLOCATED_SERVICE_IP',
        { kind: 'unallocated' },
        `kube-proxy (nftables) on ${ctx.node.name} drops ${where}: the address is inside the service CIDR ${state.config.serviceCIDR} but no Service owns it.`,
      );
    return lost(
      'UNALLOCATED_SERVICE_IP',
      `kube-proxy (${mode}) on ${ctx.node.name} has no rule for ${packet.dstIP}: no Service owns this address in the service CIDR ${state.config.serviceCIDR}, so the packet follows the default route out of the cluster and is lost.`,
    );
  }
  if (match.kind === 'port-not-found') {
    const ports = match.service.ports.map((p) => `${p.port}/${p.protocol}`).join(', ');
    const owner = `${match.service.namespace}/${match.service.name}`;
    if (match.action === 'reject')
      return {
        ...stop(
          state,
          'reject',
          'SERVICE_PORT_NOT_FOUND',
          { kind: 'invalid-port' },
          `kube-proxy (${mode}) on ${ctx.node.name} rejects ${where}: Service ${owner} does not define this port (it has ${ports}).`,
        ),
        service: match.service,
      };
    return {
      ...lost(
        'SERVICE_PORT_NOT_FOUND',
        `kube-proxy (iptables) on ${ctx.node.name} has no rule for ${where}: Service ${owner} defines only ${ports}, so the packet follows the default route out of the cluster and is lost.`,
      ),
      service: match.service,
    };
  }

  const { service, servicePort, vip, handlingNode: node } = match;
  const spn = servicePortName(service, servicePort);
  const head = `kube-proxy (${mode}) on ${node.name}`;
  const stopFor = (
    kind: 'reject' | 'drop',
    reason: DropReason,
    what: StopKind,
    description: string,
  ): KubeProxyOutcome => ({
    ...stop(state, kind, reason, what, description, service, servicePort, vip, packet.dstIP),
    service,
    servicePort,
  });

  const categorized = categorizeEndpoints(state, service, servicePort, node);
  const rejectNoEndpoints = () =>
    stopFor(
      'reject',
      'NO_ENDPOINTS',
      { kind: 'no-endpoints' },
      `${head} rejects ${where}: ${spn} has no endpoints.`,
    );
  // iptables writes the KUBE-FW chain only for services with endpoints (usesFWChain needs
  // hasEndpoints), so there the REJECT comes first; nftables checks source ranges before DNAT.
  if (!categorized.hasAnyEndpoints && mode === 'iptables') return rejectNoEndpoints();
  let sourceRangeMatched: string | undefined;
  if (vip === 'LoadBalancer' && service.loadBalancerSourceRanges.length) {
    sourceRangeMatched = sourceRangeMatch(service, packet.srcIP, node) ?? undefined;
    if (!sourceRangeMatched)
      return stopFor(
        'drop',
        'DENIED_BY_LB_SRC_RANGE_CHECK',
        { kind: 'source-range' },
        `${head} drops ${where}: source ${packet.srcIP} is outside loadBalancerSourceRanges (${service.loadBalancerSourceRanges.join(', ')}) of ${spn}.`,
      );
  }
  if (!categorized.hasAnyEndpoints) return rejectNoEndpoints();

  const notes = categorizationNotes(service, categorized);
  const podCidr = parseCidr(state.config.podCIDR);
  let policy: 'cluster' | 'local' = 'cluster';
  let externalLocalBranch: ServicePath['externalLocalBranch'];
  if (vip === 'ClusterIP') policy = internalPolicyLocal(service) ? 'local' : 'cluster';
  else if (service.externalTrafficPolicy === 'Local') {
    externalLocalBranch =
      podCidr && cidrContains(podCidr, packet.srcIP)
        ? 'pod'
        : isNodeLocalAddress(node, packet.srcIP)
          ? 'node'
          : 'external';
    policy = externalLocalBranch === 'external' ? 'local' : 'cluster';
  }
  let candidates = policy === 'local' ? categorized.local : categorized.cluster;
  if (policy === 'cluster' && candidates.length === 0 && categorized.local.length > 0) {
    // Both traffic policies Local: no cluster-wide set exists, so the short-circuit lands on local endpoints.
    candidates = categorized.local;
    notes.push(
      'Both traffic policies are Local: the short-circuit for in-cluster sources can only use node-local endpoints.',
    );
  }
  if (candidates.length === 0) {
    const which = vip === 'ClusterIP' ? 'internalTrafficPolicy' : 'externalTrafficPolicy';
    if (mode !== 'ipvs')
      return stopFor(
        'drop',
        'NO_LOCAL_ENDPOINTS',
        { kind: 'no-local-endpoints' },
        `${head} drops ${where}: ${spn} has ${which} Local and no ready endpoint on ${node.name}.`,
      );
    // IPVS syncEndpoint (kubernetes#97081): without local endpoints the virtual server gets the
    // cluster endpoints, "to allow access from local pods"; with none, it has no real servers and
    // IPVS answers ICMP port unreachable (ip_vs_leave).
    if (categorized.cluster.length === 0)
      return stopFor(
        'reject',
        'NO_LOCAL_ENDPOINTS',
        { kind: 'no-local-endpoints' },
        `${head} rejects ${where}: ${spn} has ${which} Local, no ready endpoint on ${node.name}, so its virtual server has no real servers.`,
      );
    candidates = categorized.cluster;
    notes.push(
      `IPVS mode: ${spn} has ${which} Local but no endpoint on ${node.name}, so kube-proxy puts every cluster endpoint behind the virtual server (unlike iptables and nftables, which drop).`,
    );
    if (externalLocalBranch === 'external')
      notes.push(
        'The client address is kept, so the endpoint answers directly from its own node with the pod address; a real client discards that reply.',
      );
  }

  const choice = chooseEndpoint(state, service, servicePort, candidates, packet.srcIP);
  notes.push(...choice.notes);
  const endpoint = choice.endpoint;
  const masq = masqueradeDecision(state, { vip, service, srcIP: packet.srcIP, endpoint, node });
  notes.push(...masq.notes);
  const path: ServicePath = {
    state,
    node,
    service,
    port: servicePort,
    vip,
    vipIP: packet.dstIP,
    srcIP: packet.srcIP,
    policy,
    externalLocalBranch,
    candidates,
    endpoint,
    ruleIndex: choice.ruleIndex,
    viaAffinity: choice.viaAffinity,
    masquerade: masq.masquerade,
    hairpin: packet.srcIP === endpoint.ip,
    sourceRangeMatched,
  };
  const rules =
    mode === 'iptables'
      ? iptablesPathRules(path)
      : mode === 'nftables'
        ? nftablesPathRules(path)
        : ipvsPathRules(path);
  const target = endpoint.pod
    ? `pod ${endpoint.pod.namespace}/${endpoint.pod.name}`
    : endpoint.nodeName
      ? `on node ${endpoint.nodeName}`
      : 'an endpoint outside the cluster';
  const how = choiceText(state, choice, candidates.length);
  const masqText = masq.masquerade
    ? `; the source is masqueraded to ${masq.snatIP} (${masq.reason})`
    : '';
  return {
    kind: 'dnat',
    service,
    servicePort,
    vip,
    endpoint: {
      ip: endpoint.ip,
      port: endpoint.port,
      pod: endpoint.pod,
      nodeName: endpoint.nodeName,
    },
    probability: choice.probability,
    ruleProbability: choice.ruleProbability,
    viaAffinity: choice.viaAffinity,
    masquerade: masq.masquerade,
    snatIP: masq.snatIP,
    rules,
    chain: balancingChain(path),
    description: `${head} DNATs ${where} (${vip} of ${spn}) to ${endpoint.key} (${target}), ${how}${masqText}.`,
    handledOn: node.name,
    notes,
  };
}

function stop(
  state: ClusterState,
  kind: 'reject' | 'drop',
  dropReason: DropReason,
  what: StopKind,
  description: string,
  service?: Service,
  port?: ServicePort,
  vip?: VipKind,
  vipIP?: string,
): Extract<KubeProxyOutcome, { kind: 'reject' | 'drop' }> {
  return {
    kind,
    dropReason,
    rules: rejectOrDropRules(state, what, { service, port, vip, vipIP }),
    description,
    notes: [],
  };
}

function lost(
  dropReason: DropReason,
  description: string,
): Extract<KubeProxyOutcome, { kind: 'reject' | 'drop' }> {
  return { kind: 'drop', dropReason, rules: [], description, notes: [], noRule: true };
}

function categorizationNotes(service: Service, categorized: CategorizedEndpoints): string[] {
  const notes: string[] = [];
  if (categorized.usedTerminatingFallback)
    notes.push(
      'No ready endpoint: kube-proxy falls back to endpoints that are serving but terminating.',
    );
  if (categorized.topologyMode)
    notes.push(
      `Topology hints in effect (${categorized.topologyMode}): only endpoints hinted for this ${categorized.topologyMode === 'PreferSameNode' ? 'node' : 'zone'} are used.`,
    );
  else if (wantsTopology(service))
    notes.push(
      "Topology-aware routing is requested, but not every ready endpoint carries hints for this node or zone, so no filtering applies (the engine's EndpointSlice controller does not compute hints; only hints written in user EndpointSlices count).",
    );
  return notes;
}

function choiceText(state: ClusterState, choice: EndpointChoice, n: number): string {
  if (choice.viaAffinity) return 'kept by session affinity ClientIP';
  if (n === 1) return 'its only endpoint';
  switch (state.config.kubeProxy.mode) {
    case 'iptables':
      return choice.ruleProbability
        ? `one of ${n} endpoints: rule ${choice.ruleIndex + 1} (statistic probability ${choice.ruleProbability}) matched, 1/${n} overall`
        : `one of ${n} endpoints: the last, unconditional rule matched, 1/${n} overall`;
    case 'nftables':
      return `one of ${n} endpoints: numgen random mod ${n} gave ${choice.ruleIndex}, 1/${n} each`;
    case 'ipvs':
      return `real server ${choice.ruleIndex + 1} of ${n}, chosen by the IPVS ${ipvsScheduler(state)} scheduler`;
  }
}

function balancingChain(path: ServicePath): string {
  const { state, service, port } = path;
  switch (state.config.kubeProxy.mode) {
    case 'iptables':
      return path.policy === 'local'
        ? iptablesLocalChain(service, port)
        : iptablesServiceChain(service, port);
    case 'nftables':
      return path.policy === 'local'
        ? nftChains.local(service, port)
        : nftChains.service(service, port);
    case 'ipvs':
      return virtualServerLine(
        state,
        service,
        port,
        path.vipIP,
        path.vip === 'NodePort' ? (port.nodePort ?? port.port) : port.port,
      );
  }
}
