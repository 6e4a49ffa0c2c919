import type { ClusterState } from '../model/cluster-state';
import type { LabelSelector, Pod, Protocol } from '../model/resources';
import { NAMESPACE_NAME_LABEL } from '../controllers/defaults';
import { selectorMatches } from '../util/labels';
import { ipToInt, isIPv4, parseCidr } from '../util/ip';
import {
  and,
  andInto,
  andNot,
  emptySet,
  isSubset,
  fullSet,
  orInto,
  setBit,
  type Bitset,
} from './bitset';
import { cutAddressSpace, pieceInside, type AddressPiece } from './external-pieces';

/** One row/column of the matrix: a pod, or a piece of the address space outside the cluster. */
export interface MatrixPeer {
  kind: 'pod' | 'external';
  /** `namespace/name` for pods, `0.0.0.0-9.255.255.255[External]` for pieces. */
  id: string;
  namespace?: string;
  name?: string;
  ip?: string;
  node?: string;
  hostNetwork?: boolean;
}

/**
 * The peers of one matrix (pods with an IP, then external pieces) with the indexes every policy
 * construct is compiled against. Each distinct selector, CIDR or named port is evaluated once.
 */
export class PeerUniverse {
  readonly peers: MatrixPeer[] = [];
  readonly pods: Pod[];
  readonly pieces: AddressPiece[];
  readonly size: number;
  /** Every peer. */
  readonly all: Bitset;
  /** No peer (shared: never written to). */
  readonly none: Bitset;
  readonly podMask: Bitset;
  /** Pods that selectors can match: host-network pods are left out (network-policies.md "NetworkPolicy and hostNetwork pods"). */
  readonly selectable: Bitset;
  readonly externalMask: Bitset;
  private readonly podIps: number[];
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly namespacePods = new Map<string, Bitset>();
  /** Label postings as pod index lists; a dense bitset is made only for labels a selector asks about. */
  private readonly labelPods = new Map<string, number[]>();
  private readonly keyPods = new Map<string, number[]>();
  private readonly memo = new Map<string, Bitset>();
  private readonly hostPodsByNode = new Map<string, Bitset>();

  constructor(
    readonly state: ClusterState,
    externalCidrs: Iterable<string> | null,
  ) {
    this.pods = [...state.pods.values()].filter((p) => p.ip && isIPv4(p.ip));
    this.pieces = externalCidrs ? cutAddressSpace(externalCidrs) : [];
    this.size = this.pods.length + this.pieces.length;
    this.all = fullSet(this.size);
    this.none = emptySet(this.size);
    this.podMask = emptySet(this.size);
    this.podMask.set(fullSet(this.pods.length));
    this.externalMask = andNot(this.all, this.podMask);
    this.selectable = emptySet(this.size);
    this.podIps = this.pods.map((p) => ipToInt(p.ip));
    // Every namespace carries the immutable kubernetes.io/metadata.name label (network-policies.md "Targeting a Namespace by its name").
    for (const ns of state.namespaces.values())
      this.namespaceLabels.set(ns.name, { [NAMESPACE_NAME_LABEL]: ns.name, ...ns.labels });
    for (const pod of this.pods)
      if (!this.namespaceLabels.has(pod.namespace))
        this.namespaceLabels.set(pod.namespace, { [NAMESPACE_NAME_LABEL]: pod.namespace });
    this.pods.forEach((pod, i) => {
      this.peers.push({
        kind: 'pod',
        id: `${pod.namespace}/${pod.name}`,
        namespace: pod.namespace,
        name: pod.name,
        ip: pod.ip,
        node: pod.nodeName,
        hostNetwork: pod.hostNetwork,
      });
      if (pod.hostNetwork) return this.posting(this.hostPodsByNode, pod.nodeName, i);
      setBit(this.selectable, i);
      this.posting(this.namespacePods, pod.namespace, i);
      for (const k in pod.labels) {
        this.listPosting(this.labelPods, `${k}=${pod.labels[k]}`, i);
        this.listPosting(this.keyPods, k, i);
      }
    });
    for (const piece of this.pieces)
      this.peers.push({ kind: 'external', id: `${piece.range}[External]` });
  }

  get podCount(): number {
    return this.pods.length;
  }

  /** Selectable pods in the namespaces `namespaceSelector` matches (null = `namespace` only). */
  podsInNamespaces(namespaceSelector: LabelSelector | null, namespace: string): Bitset {
    if (!namespaceSelector) return this.namespacePods.get(namespace) ?? emptySet(this.size);
    return this.remember(`ns:${canonicalSelector(namespaceSelector)}`, () => {
      const set = emptySet(this.size);
      for (const [name, labels] of this.namespaceLabels) {
        const pods = this.namespacePods.get(name);
        if (pods && selectorMatches(namespaceSelector, labels)) orInto(set, pods);
      }
      return set;
    });
  }

  /** `podsInNamespaces AND podsMatching`, remembered per (namespaces, selector). */
  podsInNamespacesMatching(
    namespaceSelector: LabelSelector | null,
    namespace: string,
    podSelector: LabelSelector,
  ): Bitset {
    const where = namespaceSelector
      ? `sel:${canonicalSelector(namespaceSelector)}`
      : `ns:${namespace}`;
    return this.remember(`nspod:${where}|${canonicalSelector(podSelector)}`, () => {
      const pods = this.podsMatching(podSelector);
      const inNamespaces = this.podsInNamespaces(namespaceSelector, namespace);
      // Labels often name one app in one namespace: then the selector's set already is the answer.
      return isSubset(pods, inNamespaces) ? pods : and(pods, inNamespaces);
    });
  }

  /** Selectable pods whose labels match, from the label postings (no per-pod selector walk). */
  podsMatching(selector: LabelSelector): Bitset {
    const labels = Object.keys(selector.matchLabels);
    // The commonest selector, one label: its posting is the answer (postings hold selectable pods only).
    if (labels.length === 1 && !selector.matchExpressions.length)
      return this.dense(this.labelPods, `${labels[0]}=${selector.matchLabels[labels[0]]}`);
    return this.remember(`pod:${canonicalSelector(selector)}`, () => {
      const set = this.selectable.slice();
      for (const k of labels)
        andInto(set, this.dense(this.labelPods, `${k}=${selector.matchLabels[k]}`));
      for (const req of selector.matchExpressions) {
        const some = emptySet(this.size);
        if (req.operator === 'In' || req.operator === 'NotIn') {
          for (const v of req.values) orInto(some, this.dense(this.labelPods, `${req.key}=${v}`));
        } else orInto(some, this.dense(this.keyPods, req.key));
        if (req.operator === 'In' || req.operator === 'Exists') andInto(set, some);
        else andInto(set, andNot(this.selectable, some));
      }
      return set;
    });
  }

  /** Pods (by IP, host-network pods by their node's IP) and external pieces inside `cidr` minus `except`. */
  addressesIn(cidr: string, except: readonly string[] = []): Bitset {
    return this.remember(`ip:${cidr}!${except.join(',')}`, () => {
      const set = emptySet(this.size);
      const block = parseCidr(cidr);
      if (!block) return set;
      const holes = except.map(parseCidr).filter((c) => c !== null);
      const inside = (n: number) =>
        n - block.base >= 0 &&
        n - block.base < block.size &&
        !holes.some((h) => n - h.base >= 0 && n - h.base < h.size);
      this.podIps.forEach((ip, i) => inside(ip) && setBit(set, i));
      this.pieces.forEach((piece, i) => {
        if (pieceInside(piece, cidr) && !except.some((e) => pieceInside(piece, e)))
          setBit(set, this.pods.length + i);
      });
      return set;
    });
  }

  /** Host-network pods on `node`: they stand for the node itself, which an isolated pod always reaches and is reached from. */
  hostPodsOnNode(node: string): Bitset | undefined {
    return this.hostPodsByNode.get(node);
  }

  /** Host-network pods on nodes whose labels match (an AdminNetworkPolicy `nodes` peer). */
  hostPodsOnNodes(nodeSelector: LabelSelector): Bitset {
    return this.remember(`node:${canonicalSelector(nodeSelector)}`, () => {
      const set = emptySet(this.size);
      this.pods.forEach((pod, i) => {
        const node = this.state.nodes.get(pod.nodeName);
        if (pod.hostNetwork && node && selectorMatches(nodeSelector, node.labels)) setBit(set, i);
      });
      return set;
    });
  }

  /**
   * Pods serving `name` as a container port of `protocol` whose number is `port`: a named port is
   * resolved against each destination pod's own containers (types.go NetworkPolicyPort), protocol included.
   */
  podsWithNamedPort(name: string, protocol: Protocol, port: number): Bitset {
    return this.remember(`named:${name}/${protocol}/${port}`, () => {
      const set = emptySet(this.size);
      this.pods.forEach((pod, i) => {
        if (pod.hostNetwork) return;
        if (
          pod.containers.some((c) =>
            c.ports.some(
              (p) => p.name === name && p.protocol === protocol && p.containerPort === port,
            ),
          )
        )
          setBit(set, i);
      });
      return set;
    });
  }

  private listPosting(index: Map<string, number[]>, key: string, pod: number): void {
    const list = index.get(key);
    if (list) list.push(pod);
    else index.set(key, [pod]);
  }

  private dense(index: Map<string, number[]>, key: string): Bitset {
    return this.remember(`posting:${index === this.labelPods ? 'label' : 'key'}:${key}`, () => {
      const set = emptySet(this.size);
      for (const pod of index.get(key) ?? []) setBit(set, pod);
      return set;
    });
  }

  private posting(index: Map<string, Bitset>, key: string, bit: number): void {
    let set = index.get(key);
    if (!set) index.set(key, (set = emptySet(this.size)));
    setBit(set, bit);
  }

  private remember(key: string, build: () => Bitset): Bitset {
    let set = this.memo.get(key);
    if (!set) this.memo.set(key, (set = build()));
    return set;
  }
}

/** Order-independent text of a selector, the memo key for "evaluate each distinct selector once". */
export function canonicalSelector(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels)
    .sort()
    .map((k) => `${k}=${selector.matchLabels[k]}`);
  const expressions = selector.matchExpressions
    .map((e) => `${e.key} ${e.operator} ${[...e.values].sort().join('|')}`)
    .sort();
  return `${labels.join(',')};${expressions.join(',')}`;
}
