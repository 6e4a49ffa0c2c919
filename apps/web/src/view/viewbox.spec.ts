import { centreOn, outside, READABLE_SCALE, readableViewBox, zoomViewBox } from './viewbox';

describe('zoom and pan of the picture', () => {
  it('shows the whole picture when it fits legibly', () => {
    expect(readableViewBox(600, 400, { w: 600, h: 400 }, { x: 10, y: 10 })).toEqual({
      x: 0,
      y: 0,
      w: 600,
      h: 400,
    });
  });

  it('opens a big picture legibly around the focus, inside the picture', () => {
    const box = readableViewBox(2400, 1200, { w: 600, h: 500 }, { x: 2300, y: 900 });
    expect(box.w).toBeCloseTo(600 / READABLE_SCALE);
    expect(box.x + box.w).toBeLessThanOrEqual(2400);
    expect(box.x).toBeLessThan(2300);
    expect(box.y + box.h).toBeLessThanOrEqual(1200);
  });

  it('zooms around the centre and follows a point that leaves the view', () => {
    const zoomed = zoomViewBox({ x: 0, y: 0, w: 1000, h: 500 }, 0.5);
    expect(zoomed).toEqual({ x: 250, y: 125, w: 500, h: 250 });
    expect(outside(zoomed, { x: 500, y: 250 })).toBe(false);
    expect(outside(zoomed, { x: 900, y: 250 })).toBe(true);
    expect(centreOn(zoomed, { x: 900, y: 250 })).toEqual({ x: 650, y: 125, w: 500, h: 250 });
  });
});
