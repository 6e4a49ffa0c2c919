/** Zoom and pan of the cluster picture as viewBox arithmetic (pure, so it is unit-tested). */
export interface ViewBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

const MIN_WIDTH = 120;
const MAX_FACTOR = 4;

export function fitViewBox(width: number, height: number): ViewBox {
  return { x: 0, y: 0, w: width, h: height };
}

/** Scales the box around its centre; `factor` < 1 zooms in. Bounded so the picture never vanishes. */
export function zoomViewBox(box: ViewBox, factor: number, limitWidth = 20000): ViewBox {
  const w = Math.min(Math.max(box.w * factor, MIN_WIDTH), limitWidth * MAX_FACTOR);
  const h = (box.h * w) / box.w;
  return { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h };
}

export function panViewBox(box: ViewBox, dx: number, dy: number): ViewBox {
  return { ...box, x: box.x + dx, y: box.y + dy };
}
