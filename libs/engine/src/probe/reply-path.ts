import type { HopDraft } from '../trace/hop-draft';
import { hop } from '../trace/hop-draft';
import { type NetworkEndpoint, endpointForIP } from '../cni/network-endpoint';
import { type ConntrackEntry, forwardFromNode } from '../cni/pod-network-path';
import { leavePod } from '../cni/pod-interfaces';
import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import type { Packet } from '../trace/trace-types';

/**
 * The answer's way back: from the endpoint that answered to the node(s) that translated the
 * request, where conntrack reverses each NAT (so the client sees the address it dialled), then
 * on to the client.
 */
export function replyPath(
  state: ClusterState,
  answered: NetworkEndpoint,
  natNode: Node,
  request: Packet,
  conntrack: ConntrackEntry[],
  notes: string[],
): HopDraft[] {
  const reply: Packet = {
    protocol: request.protocol,
    src: { ...request.dst },
    dst: { ...request.src },
  };
  const hops: HopDraft[] = [];
  let start: Node;
  if (answered.kind === 'pod') {
    hops.push(...leavePod(state, answered.pod, answered.node, reply, notes));
    start = answered.node;
  } else if (answered.kind === 'node') {
    hops.push(
      hop({
        component: 'node-netns',
        observationPoint: 'FROM_STACK',
        node: answered.node.name,
        packet: reply,
        description: `${answered.node.name} sends the answer from its own stack`,
      }),
    );
    start = answered.node;
  } else {
    hops.push(
      hop({
        component: 'external-network',
        observationPoint: 'FROM_NETWORK',
        node: null,
        packet: reply,
        description: `${answered.ip} answers; the reply comes back to ${reply.dst.ip}`,
      }),
    );
    hops.push(
      hop({
        component: 'node-netns',
        observationPoint: 'FROM_NETWORK',
        node: natNode.name,
        interface: 'eth0',
        packet: reply,
        description: `arrives on ${natNode.name}'s eth0`,
      }),
    );
    start = natNode;
  }
  const rest = forwardFromNode(state, start, replyTarget(state, reply, conntrack), reply, {
    conntrack,
    reply: true,
  });
  notes.push(...rest.notes);
  return [...hops, ...rest.hops];
}

/** A reply to a masqueraded request is addressed to the SNAT address, which belongs to the node that translated it. */
function replyTarget(
  state: ClusterState,
  reply: Packet,
  conntrack: ConntrackEntry[],
): NetworkEndpoint {
  const snat = conntrack.find(
    (e) =>
      e.translated.src.ip === reply.dst.ip &&
      e.translated.src.port === reply.dst.port &&
      e.original.src.ip !== e.translated.src.ip,
  );
  const node = snat ? state.nodes.get(snat.node) : undefined;
  if (node) return { kind: 'node', ip: reply.dst.ip, node };
  return endpointForIP(state, reply.dst.ip);
}
