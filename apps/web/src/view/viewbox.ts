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

/** The smallest on-screen scale at which the picture's 11-12 px labels stay legible. */
export const READABLE_SCALE = 0.8;

/**
 * What to show first: the whole picture when it fits legibly, else a legible window around
 * `focus` (the probe's source or the packet), clamped to the picture. `screen` is the element's size.
 */
export function readableViewBox(
  width: number,
  height: number,
  screen: { w: number; h: number },
  focus: { x: number; y: number } | undefined,
): ViewBox {
  if (screen.w <= 0 || screen.h <= 0) return fitViewBox(width, height);
  const scale = Math.min(screen.w / width, screen.h / height);
  if (scale >= READABLE_SCALE || !focus) return fitViewBox(width, height);
  const w = Math.min(width, screen.w / READABLE_SCALE);
  const h = Math.min(height, screen.h / READABLE_SCALE);
  const clamp = (v: number, max: number) => Math.max(0, Math.min(v, max));
  return { x: clamp(focus.x - w / 2, width - w), y: clamp(focus.y - h / 3, height - h), w, h };
}

/** True when the point is outside the box, or within `margin` of its edge. */
export function outside(box: ViewBox, point: { x: number; y: number }, margin = 40): boolean {
  return (
    point.x < box.x + margin ||
    point.x > box.x + box.w - margin ||
    point.y < box.y + margin ||
    point.y > box.y + box.h - margin
  );
}

/** The box moved (not resized) so that `point` is at its centre. */
export function centreOn(box: ViewBox, point: { x: number; y: number }): ViewBox {
  return { ...box, x: point.x - box.w / 2, y: point.y - box.h / 2 };
}
