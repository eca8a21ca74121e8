import { describe, expect, it } from "vitest";
import { overlap, placePrompt, rectAt, type Rect } from "../../../extension/prompt/placement.js";

const VIEW = { width: 1280, height: 800 };
const SIZE = { width: 360, height: 260 };
const at = (p: { left: number; top: number }): Rect => ({ left: p.left, top: p.top, width: SIZE.width, height: SIZE.height });

describe("prompt placement", () => {
  it.each([
    ["a centred form's button", { left: 473, top: 457, width: 334, height: 44 }],
    ["a button at the bottom right", { left: 1100, top: 700, width: 150, height: 44 }],
    ["a button at the top right (a header sign-in)", { left: 1150, top: 20, width: 100, height: 36 }],
    ["a button at the bottom left", { left: 20, top: 720, width: 120, height: 40 }],
    ["a full-width button", { left: 0, top: 380, width: 1280, height: 48 }],
  ])("never covers %s", (_, button) => {
    const placed = placePrompt(VIEW, SIZE, [button]);
    expect(overlap(at(placed), button)).toBe(0);
  });

  it("takes the corner farthest from the button", () => {
    expect(placePrompt(VIEW, SIZE, [{ left: 1100, top: 700, width: 150, height: 44 }]).corner).toBe("top-left");
    expect(placePrompt(VIEW, SIZE, [{ left: 20, top: 20, width: 120, height: 40 }]).corner).toBe("bottom-right");
  });

  it("keeps clear of the fields too when a corner allows it", () => {
    const button = { left: 40, top: 600, width: 300, height: 44 };
    const password = { left: 900, top: 20, width: 360, height: 44 };
    const placed = placePrompt(VIEW, SIZE, [button, password]);
    expect(overlap(at(placed), button)).toBe(0);
    expect(overlap(at(placed), password)).toBe(0);
  });

  it("prefers covering a field over covering the button on a phone-sized window", () => {
    const view = { width: 390, height: 700 };
    const button = { left: 48, top: 400, width: 294, height: 44 };
    const username = { left: 48, top: 150, width: 294, height: 44 };
    const placed = placePrompt(view, { width: 360, height: 260 }, [button, username]);
    expect(overlap({ left: placed.left, top: placed.top, width: 358, height: 260 }, button)).toBe(0);
  });

  it("stays inside the window, with its margin", () => {
    const rect = rectAt("bottom-right", VIEW, SIZE, 16);
    expect(rect).toEqual({ left: 1280 - 16 - 360, top: 800 - 16 - 260, width: 360, height: 260 });
    const narrow = rectAt("top-left", { width: 300, height: 500 }, SIZE, 16);
    expect(narrow.left).toBeGreaterThanOrEqual(0);
    expect(narrow.left + narrow.width).toBeLessThanOrEqual(300);
  });

  it("ignores rects with no size (hidden elements) and defaults to the bottom right", () => {
    expect(placePrompt(VIEW, SIZE, [{ left: 0, top: 0, width: 0, height: 0 }]).corner).toBe("bottom-right");
    expect(placePrompt(VIEW, SIZE, []).corner).toBe("bottom-right");
  });

  it("mirrors for a right-to-left prompt: bottom left by default, and the same rules around the button", () => {
    expect(placePrompt(VIEW, SIZE, [], "rtl").corner).toBe("bottom-left");
    // The button in the bottom left: the farthest corner is still the top right.
    expect(placePrompt(VIEW, SIZE, [{ left: 20, top: 700, width: 150, height: 44 }], "rtl").corner).toBe("top-right");
  });
});

describe("prompt placement beside a form in a modal on a phone-sized window", () => {
  // A 360 × 640 window with a sign-in modal centred on it: every corner covers the username or the button.
  const view = { width: 360, height: 640 };
  const size = { width: 344, height: 260 };
  const button = { left: 32, top: 380, width: 296, height: 44 };
  const username = { left: 32, top: 250, width: 296, height: 44 };
  const password = { left: 32, top: 314, width: 296, height: 44 };

  it("covers neither the username nor the sign-in button, shrinking to the free band", () => {
    const placed = placePrompt(view, size, [button, username, password]);
    expect(placed.maxHeight).toBeGreaterThanOrEqual(140);
    const rect = { left: placed.left, top: placed.top, width: size.width, height: Math.min(size.height, placed.maxHeight!) };
    expect(overlap(rect, button)).toBe(0);
    expect(overlap(rect, username)).toBe(0);
    expect(rect.top).toBeGreaterThanOrEqual(16);
    expect(rect.top + rect.height).toBeLessThanOrEqual(view.height - 16);
  });

  it("keeps its full height when a corner is free", () => {
    const low = { ...button, top: 560 };
    const placed = placePrompt(view, size, [low, { ...username, top: 430 }]);
    expect(placed.maxHeight).toBeUndefined();
    expect(placed.corner.startsWith("top")).toBe(true);
  });
});
