import { fireEvent, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PromptInfo } from "../../../extension/prompt/prompt-info.js";
import { PROMPT_TAG, showPrompt, type PromptActions, type PromptHandle } from "../../../extension/prompt/prompt-view.js";
import type { ApiResult } from "../../../extension/result.js";

const REQUIRED: PromptInfo = { kind: "required", skipsLeft: 3, orgName: "Example Corp" };
const okResult = <T>(value: T): Promise<ApiResult<T>> => Promise.resolve({ ok: true, value });

function actions(over: Partial<PromptActions> = {}): PromptActions {
  return {
    open: vi.fn(() => okResult(null)),
    change: vi.fn(() => okResult(null)),
    skip: vi.fn(() => okResult({ skipsLeft: 2 })),
    confirm: vi.fn(() => okResult(null)),
    dismiss: vi.fn(),
    ...over,
  };
}

/** The prompt with synthetic events allowed (happy-dom has no trusted input); one test proves the guard. */
function show(info: PromptInfo = REQUIRED, a: PromptActions = actions()) {
  const handle = showPrompt(document, info, a, { trustedOnly: false });
  const $ = (text: string) => [...handle.root.querySelectorAll("button")].find((b) => b.textContent === text || b.getAttribute("aria-label") === text);
  const text = () => handle.root.querySelector(".card")?.textContent ?? "";
  return { handle, actions: a, $, text };
}

const focusables = (h: PromptHandle) => [...h.root.querySelectorAll("button")].map((b) => b.getAttribute("aria-label") ?? b.textContent);

afterEach(() => {
  for (const host of document.querySelectorAll(PROMPT_TAG)) host.remove();
  document.head.innerHTML = "";
  document.body.innerHTML = "";
});

describe("in-page prompt", () => {
  it.each([
    [1, "Add one more recovery method"],
    [2, "Add 2 more recovery methods"],
  ])("asks a user who has some methods for the %i still missing, not to set recovery up", (moreNeeded, title) => {
    const { handle, $, text } = show({ ...REQUIRED, moreNeeded });
    expect(handle.root.querySelector("h2, [role=heading], .title")?.textContent).toBe(title);
    expect(text()).toContain("Example Corp asks for more than one way to prove it's you");
    expect(text()).not.toContain("Set up password recovery");
    expect($("Set up now")).toBeTruthy();
  });

  it("lives in a shadow root on its own host element, isolated from the page's CSS", () => {
    document.head.innerHTML = `<style>button { color: red !important; display: none !important; } * { font-size: 40px !important; }</style>`;
    const before = document.styleSheets.length;
    const { handle } = show();
    expect(handle.host.tagName.toLowerCase()).toBe(PROMPT_TAG);
    // The page's selectors can't reach inside; the prompt's styles stay inside.
    expect(document.querySelectorAll("button")).toHaveLength(0);
    expect(document.styleSheets.length).toBe(before);
    expect(handle.root.querySelector("style")?.textContent).toContain(":host { all: initial; }");
    const style = handle.host.getAttribute("style") ?? "";
    expect(style).toContain("all: initial !important");
    expect(style).toContain("position: fixed !important");
    expect(style).toMatch(/left: \d+(\.\d+)?px !important; top: \d+(\.\d+)?px !important;/);
  });

  it("is a labelled dialog that takes focus, its controls in reading order", () => {
    const { handle, text } = show();
    const card = handle.root.querySelector(".card")!;
    expect(card.getAttribute("role")).toBe("dialog");
    expect(handle.root.getElementById(card.getAttribute("aria-labelledby")!)?.textContent).toBe("Set up password recovery");
    expect(handle.root.getElementById(card.getAttribute("aria-describedby")!)?.textContent).toContain("Example Corp asks you to add a way to prove it's you");
    expect(handle.root.activeElement).toBe(card);
    expect(focusables(handle)).toEqual(["Close this message", "Set up now", "Not now"]);
    expect(text()).toContain("You can put this off 3 more times.");
  });

  it("closes on Escape and on ×, telling the background it was dismissed", () => {
    const first = show();
    fireEvent.keyDown(first.handle.root.querySelector(".card")!, { key: "Escape" });
    expect(first.handle.host.isConnected).toBe(false);
    expect(first.actions.dismiss).toHaveBeenCalledOnce();

    const second = show();
    fireEvent.click(second.$("Close this message")!);
    expect(second.handle.host.isConnected).toBe(false);
    expect(second.actions.dismiss).toHaveBeenCalledOnce();
  });

  it("counts the skips down with each 'Not now', then says it can't wait any more", async () => {
    for (const [left, said] of [
      [2, "You can put this off 2 more times."],
      [1, "You can put this off 1 more time."],
      [0, "Then you'll need to set it up."],
    ] as const) {
      const { $, text, handle, actions: a } = show({ ...REQUIRED, skipsLeft: left + 1 }, actions({ skip: vi.fn(() => okResult({ skipsLeft: left })) }));
      fireEvent.click($("Not now")!);
      await waitFor(() => expect(text()).toContain(said));
      expect(a.skip).toHaveBeenCalledOnce();
      // The one action left is to close it, and it has focus.
      expect(handle.root.activeElement?.textContent).toBe("Close");
      handle.close();
    }
  });

  it("offers no 'Not now' once the skips are spent", () => {
    const { text, $ } = show({ ...REQUIRED, skipsLeft: 0 });
    expect($("Not now")).toBeUndefined();
    expect(text()).toContain("Your organisation asks you to do this now.");
  });

  it("hides 'Not now' and says why when the worker has no skips left", async () => {
    const { $, handle } = show(REQUIRED, actions({ skip: vi.fn(() => Promise.resolve({ ok: false as const, error: { code: "no_skips_left" as const, message: "" } })) }));
    fireEvent.click($("Not now")!);
    await waitFor(() => expect(handle.root.querySelector("[role=alert]")?.textContent).toBe("You can't put this off any more. Set it up now."));
    expect($("Not now")).toBeUndefined();
  });

  it("opens the registration page and goes away", async () => {
    const { $, handle, actions: a } = show();
    fireEvent.click($("Set up now")!);
    await waitFor(() => expect(handle.host.isConnected).toBe(false));
    expect(a.open).toHaveBeenCalledOnce();
    expect(a.dismiss).not.toHaveBeenCalled();
  });

  it("says in words when the sign-in has ended or the service is unreachable", async () => {
    const failing = (code: "unauthorized" | "network") => vi.fn(() => Promise.resolve({ ok: false as const, error: { code, message: "" } }));
    const ended = show(REQUIRED, actions({ open: failing("unauthorized") }));
    fireEvent.click(ended.$("Set up now")!);
    await waitFor(() => expect(ended.handle.root.querySelector("[role=alert]")?.textContent).toBe("Your sign-in has ended. Sign in again to continue."));
    ended.handle.close();
    const down = show(REQUIRED, actions({ skip: failing("network") }));
    fireEvent.click(down.$("Not now")!);
    await waitFor(() => expect(down.handle.root.querySelector("[role=alert]")?.textContent).toContain("Can't reach the password reset service"));
  });

  it("asks whether the info is still current, and confirms it", async () => {
    const { $, text, handle, actions: a } = show({ kind: "reconfirm", skipsLeft: 2, orgName: "Example Corp" });
    expect(text()).toContain("Is your recovery info still current?");
    expect(focusables(handle)).toEqual(["Close this message", "Yes", "Review", "Not now"]);
    fireEvent.click($("Yes")!);
    await waitFor(() => expect(text()).toContain("Your recovery info is confirmed as current."));
    expect(a.confirm).toHaveBeenCalledOnce();
  });

  it("ignores clicks and keys the page's scripts make up (only a real user may spend a skip)", () => {
    const a = actions();
    const handle = showPrompt(document, REQUIRED, a);
    const notNow = [...handle.root.querySelectorAll("button")].find((b) => b.textContent === "Not now")!;
    notNow.click();
    handle.root.querySelector(".card")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(a.skip).not.toHaveBeenCalled();
    expect(a.dismiss).not.toHaveBeenCalled();
    expect(handle.host.isConnected).toBe(true);
    handle.close();
  });

  it("can't be read or relabelled by the page: a closed root, no handles on the host, clicks on the host do nothing", () => {
    const a = actions();
    const handle = showPrompt(document, REQUIRED, a);
    // What a page script has: the host element in its DOM, and nothing that leads inside.
    const host = document.querySelector(PROMPT_TAG) as HTMLElement;
    expect(host).toBe(handle.host);
    expect(host.shadowRoot).toBeNull();
    expect(document.querySelectorAll("button, [role=dialog], h2")).toHaveLength(0);
    expect(host.textContent).toBe("");
    expect(host.getAttributeNames().sort()).toEqual(["popover", "style"]);
    // No expando: the host carries no property a bare element of its tag lacks.
    expect(Object.keys(host).sort()).toEqual(Object.keys(document.createElement(PROMPT_TAG)).sort());
    host.click();
    host.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, composed: true }));
    expect(a.skip).not.toHaveBeenCalled();
    expect(a.dismiss).not.toHaveBeenCalled();
    expect(host.isConnected).toBe(true);
    handle.close();
  });

  it("sits at the top of the page as a manual popover (the top layer), outside the page's own elements", () => {
    document.body.innerHTML = `<main style="position: relative; z-index: 2147483647">page</main>`;
    const { handle } = show();
    expect(handle.host.parentElement).toBe(document.documentElement);
    expect(handle.host.getAttribute("popover")).toBe("manual");
  });
});
