/**
 * Places the cluster picture. The picture has a fixed structure — the outside client, then
 * Ingresses and Gateways, then Services, then nodes holding their pods — so a layered layout
 * computed here is readable, deterministic and costs nothing to load, where a general graph layout
 * engine (elkjs is about 1.4 MB) would mostly rediscover these layers. Rows wrap to the width the
 * nodes take, so 3 nodes × 30 pods stay legible at the default zoom.
 */
import {
  EXTERNAL_ID,
  type ClusterPicture,
  type PictureNode,
  type PicturePod,
} from './picture-model';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type EdgeKind = 'endpoint' | 'route' | 'external';

export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Not-ready endpoints are drawn dashed. */
  ready: boolean;
}

export interface Layout {
  width: number;
  height: number;
  boxes: Map<string, Box>;
  edges: Edge[];
}

export const POD = { w: 176, h: 66 };
const GAP = 10;
const NODE_PAD = 12;
const NODE_HEADER = 40;
const ROW_GAP = 56;
const SERVICE = { w: 210, h: 78 };
const ENTRY = { w: 230, h: 70 };
const EXTERNAL = { w: 170, h: 44 };
const MARGIN = 20;
export const PENDING_NODE_ID = 'node:(pending)';

/** Columns of pods inside a node: a node stays roughly as tall as it is wide. */
export function podColumns(podCount: number): number {
  return Math.max(1, Math.min(4, Math.ceil(Math.sqrt(podCount / 2.5))));
}

function nodeSize(podCount: number): { w: number; h: number; cols: number } {
  const cols = podColumns(podCount);
  const rows = Math.max(1, Math.ceil(podCount / cols));
  return {
    cols,
    w: cols * (POD.w + GAP) - GAP + 2 * NODE_PAD,
    h: NODE_HEADER + rows * (POD.h + GAP) - GAP + 2 * NODE_PAD,
  };
}

/** Places items of one size left to right, wrapping at `width`, centred; returns the row's height. */
function placeRow(
  ids: string[],
  size: { w: number; h: number },
  top: number,
  width: number,
  boxes: Map<string, Box>,
): number {
  if (ids.length === 0) return 0;
  const perLine = Math.max(1, Math.floor((width + GAP * 2) / (size.w + GAP * 2)));
  const lines = Math.ceil(ids.length / perLine);
  ids.forEach((id, i) => {
    const line = Math.floor(i / perLine);
    const inLine = Math.min(perLine, ids.length - line * perLine);
    const lineWidth = inLine * (size.w + GAP * 2) - GAP * 2;
    const left = MARGIN + (width - lineWidth) / 2;
    boxes.set(id, {
      x: left + (i % perLine) * (size.w + GAP * 2),
      y: top + line * (size.h + GAP * 2),
      ...size,
    });
  });
  return lines * (size.h + GAP * 2) - GAP * 2;
}

export function layoutPicture(picture: ClusterPicture): Layout {
  const boxes = new Map<string, Box>();
  const nodes: PictureNode[] = [...picture.nodes];
  if (picture.pendingPods.length > 0)
    nodes.push({
      id: PENDING_NODE_ID,
      name: 'Pending (no node)',
      ip: '',
      role: 'worker',
      ready: false,
      pods: picture.pendingPods,
    });
  const sizes = nodes.map((n) => nodeSize(n.pods.length));
  const nodesWidth = sizes.reduce((sum, s) => sum + s.w, 0) + GAP * 3 * (nodes.length - 1);
  const width = Math.max(nodesWidth, 3 * (SERVICE.w + GAP * 2), EXTERNAL.w);

  let top = MARGIN;
  boxes.set(EXTERNAL_ID, { x: MARGIN + (width - EXTERNAL.w) / 2, y: top, ...EXTERNAL });
  top += EXTERNAL.h + ROW_GAP;
  const entryHeight = placeRow(
    picture.entries.map((e) => e.id),
    ENTRY,
    top,
    width,
    boxes,
  );
  if (entryHeight > 0) top += entryHeight + ROW_GAP;
  const serviceHeight = placeRow(
    picture.services.map((s) => s.id),
    SERVICE,
    top,
    width,
    boxes,
  );
  if (serviceHeight > 0) top += serviceHeight + ROW_GAP;

  let left = MARGIN + (width - nodesWidth) / 2;
  let tallest = 0;
  nodes.forEach((node, i) => {
    const size = sizes[i];
    boxes.set(node.id, { x: left, y: top, w: size.w, h: size.h });
    placePods(node.pods, size.cols, left, top, boxes);
    left += size.w + GAP * 3;
    tallest = Math.max(tallest, size.h);
  });
  return {
    width: width + 2 * MARGIN,
    height: top + tallest + MARGIN,
    boxes,
    edges: pictureEdges(picture),
  };
}

function placePods(
  pods: PicturePod[],
  cols: number,
  left: number,
  top: number,
  boxes: Map<string, Box>,
): void {
  pods.forEach((pod, i) => {
    boxes.set(pod.id, {
      x: left + NODE_PAD + (i % cols) * (POD.w + GAP),
      y: top + NODE_HEADER + NODE_PAD + Math.floor(i / cols) * (POD.h + GAP),
      ...POD,
    });
  });
}

export function pictureEdges(picture: ClusterPicture): Edge[] {
  const edges: Edge[] = [];
  for (const entry of picture.entries) {
    edges.push({ from: EXTERNAL_ID, to: entry.id, kind: 'external', ready: true });
    for (const backend of entry.backends)
      edges.push({ from: entry.id, to: backend, kind: 'route', ready: true });
  }
  for (const svc of picture.services) {
    if (svc.loadBalancer.length > 0 || svc.externalIPs.length > 0)
      edges.push({ from: EXTERNAL_ID, to: svc.id, kind: 'external', ready: true });
    for (const endpoint of svc.endpoints)
      edges.push({ from: svc.id, to: endpoint.pod, kind: 'endpoint', ready: endpoint.ready });
  }
  return edges;
}

/** Centre of a box: where edges and the travelling packet attach. */
export function centreOf(box: Box): { x: number; y: number } {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}
