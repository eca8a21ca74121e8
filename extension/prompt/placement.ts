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
  /** Set when no corner leaves the button and the username clear: the prompt scrolls within this height. */
  maxHeight?: number;
}

/** The least height a shrunk prompt keeps: its title, one line and its buttons. */
const MIN_PROMPT_HEIGHT = 140;
const GAP = 8;

/** Where the prompt goes when nothing is in the way: the reading direction's end corner, as toasts do. */
const CORNERS: Record<"ltr" | "rtl", Corner[]> = {
  ltr: ["bottom-right", "bottom-left", "top-right", "top-left"],
  rtl: ["bottom-left", "bottom-right", "top-left", "top-right"],
};

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
 * `avoid[0]` is the sign-in button, `avoid[1]` the username field, the rest other fields and buttons.
 * Corners are ranked by how much of the button they would cover, then of the username, then of the
 * rest (least first), then by distance from the button (farthest first). When every corner covers
 * the button or the username (a form in a modal on a phone-sized window), the prompt goes in the
 * taller free band above or below them, shrunk to fit (it scrolls inside). `direction` is the
 * prompt's own (its language's), which decides ties: a right-to-left prompt mirrors to the left.
 */
export function placePrompt(viewport: { width: number; height: number }, size: { width: number; height: number }, avoid: Rect[], direction: "ltr" | "rtl" = "ltr", margin = 16): Placement {
  const visible = avoid.filter((r) => r.width > 0 && r.height > 0);
  const anchor = visible[0];
  const ranked = CORNERS[direction].map((corner, order) => {
    const rect = rectAt(corner, viewport, size, margin);
    return {
      corner,
      rect,
      button: anchor ? overlap(rect, anchor) : 0,
      username: visible[1] ? overlap(rect, visible[1]) : 0,
      fields: visible.slice(2).reduce((sum, r) => sum + overlap(rect, r), 0),
      away: anchor ? distance(rect, anchor) : 0,
      order,
    };
  }).sort((a, b) => a.button - b.button || a.username - b.username || a.fields - b.fields || b.away - a.away || a.order - b.order);
  const best = ranked[0]!;
  if ((best.button || best.username) && anchor) {
    const band = freeBand(viewport, visible.slice(0, 2), margin);
    if (band && band.height >= MIN_PROMPT_HEIGHT) {
      const side = best.corner.endsWith("right") ? "right" : "left";
      const rect = rectAt(`${band.above ? "top" : "bottom"}-${side}`, viewport, { ...size, height: Math.min(size.height, band.height) }, margin);
      return { corner: `${band.above ? "top" : "bottom"}-${side}`, left: rect.left, top: band.above ? margin : band.bottom - rect.height, maxHeight: band.height };
    }
  }
  return { corner: best.corner, left: best.rect.left, top: best.rect.top };
}

/** The taller of the bands above and below the rects that must stay visible, inside the margins. */
function freeBand(viewport: { height: number }, keep: Rect[], margin: number): { above: boolean; height: number; bottom: number } | null {
  const top = Math.min(...keep.map((r) => r.top));
  const bottom = Math.max(...keep.map((r) => r.top + r.height));
  const above = top - GAP - margin;
  const below = viewport.height - margin - (bottom + GAP);
  if (above <= 0 && below <= 0) return null;
  return above >= below ? { above: true, height: above, bottom: top - GAP } : { above: false, height: below, bottom: viewport.height - margin };
}
