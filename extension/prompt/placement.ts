/**
 * Where the prompt goes (spec §10): never over the page's own sign-in button. Pure, so it is tested
 * without a browser: the corner farthest from the button that covers none of the rects to avoid.
 */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}
export type Corner = "top-left" | "top-right" | "bottom-left" | "bottom-right";
export interface Placement {
  corner: Corner;
  left: number;
  top: number;
}

const CORNERS: Corner[] = ["bottom-right", "bottom-left", "top-right", "top-left"];

export function rectAt(corner: Corner, viewport: { width: number; height: number }, size: { width: number; height: number }, margin: number): Rect {
  const width = Math.min(size.width, Math.max(0, viewport.width - 2 * margin));
  const right = corner.endsWith("right");
  const bottom = corner.startsWith("bottom");
  const left = right ? Math.max(0, viewport.width - margin - width) : Math.min(margin, viewport.width - width);
  const top = bottom ? Math.max(0, viewport.height - margin - size.height) : margin;
  return { left, top, width, height: size.height };
}

export function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

const centre = (r: Rect) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
const distance = (a: Rect, b: Rect) => Math.hypot(centre(a).x - centre(b).x, centre(a).y - centre(b).y);

/**
 * `avoid[0]` is the sign-in button, the rest the form's fields. Corners are ranked by how much of the
 * button they would cover, then how much of the fields (least first), then by distance from the
 * button (farthest first).
 */
export function placePrompt(viewport: { width: number; height: number }, size: { width: number; height: number }, avoid: Rect[], margin = 16): Placement {
  const visible = avoid.filter((r) => r.width > 0 && r.height > 0);
  const anchor = visible[0];
  const ranked = CORNERS.map((corner, order) => {
    const rect = rectAt(corner, viewport, size, margin);
    return {
      corner,
      rect,
      button: anchor ? overlap(rect, anchor) : 0,
      fields: visible.slice(1).reduce((sum, r) => sum + overlap(rect, r), 0),
      away: anchor ? distance(rect, anchor) : 0,
      order,
    };
  }).sort((a, b) => a.button - b.button || a.fields - b.fields || b.away - a.away || a.order - b.order);
  const best = ranked[0]!;
  return { corner: best.corner, left: best.rect.left, top: best.rect.top };
}
