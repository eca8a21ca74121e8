import { fireEvent, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PromptInfo } from "../../../extension/prompt/prompt-info.js";
import { PROMPT_TAG, showPrompt, type PromptActions } from "../../../extension/prompt/prompt-view.js";
import type { ApiResult } from "../../../extension/result.js";

/** Issue 15 in the in-page prompt: a password to replace now, and the expiry notice. */

const okResult = <T>(value: T): Promise<ApiResult<T>> => Promise.resolve({ ok: true, value });
const actions = (): PromptActions => ({
  open: vi.fn(() => okResult(null)),
  change: vi.fn(() => okResult(null)),
  skip: vi.fn(() => okResult({ skipsLeft: 2 })),
  confirm: vi.fn(() => okResult(null)),
  dismiss: vi.fn(),
});

function show(info: PromptInfo) {
  const a = actions();
  const handle = showPrompt(document, info, a, { trustedOnly: false });
  const labels = () => [...handle.root.querySelectorAll("button")].map((b) => b.getAttribute("aria-label") ?? b.textContent);
  const $ = (text: string) => [...handle.root.querySelectorAll("button")].find((b) => b.textContent === text)!;
  const titled = () => handle.root.getElementById("title")?.textContent;
  const body = () => handle.root.getElementById("body")?.textContent;
  return { handle, a, labels, $, titled, body };
}

afterEach(() => {
  for (const host of document.querySelectorAll(PROMPT_TAG)) host.remove();
});

describe("in-page prompt: password lifecycle", () => {
  it.each([
    ["temporary", "Choose your own password", "You signed in with a temporary password."],
    ["expired", "Your password has expired", "Your organisation asks you to change it now."],
  ] as const)("a %s password: one way on, no 'Not now' (× still closes it)", async (reason, title, body) => {
    const p = show({ kind: "change", reason, orgName: "Example Corp" });
    expect(p.titled()).toBe(title);
    expect(p.body()).toContain(body);
    expect(p.labels()).toEqual(["Close this message", "Change your password now"]);
    fireEvent.click(p.$("Change your password now"));
    expect(p.a.change).toHaveBeenCalledOnce();
    expect(p.a.open).not.toHaveBeenCalled();
    await waitFor(() => expect(p.handle.host.isConnected).toBe(false));
  });

  it.each([
    [5, "Your password expires in 5 days"],
    [1, "Your password expires within a day"],
  ])("the notice says how long is left (%i days)", (daysLeft, title) => {
    const p = show({ kind: "expiring", daysLeft, orgName: "Example Corp" });
    expect(p.titled()).toBe(title);
    expect(p.labels()).toEqual(["Close this message", "Change your password now", "Not now"]);
  });

  it("'Not now' on the notice closes it without spending a registration skip", () => {
    const p = show({ kind: "expiring", daysLeft: 9, orgName: "Example Corp" });
    fireEvent.click(p.$("Not now"));
    expect(p.handle.host.isConnected).toBe(false);
    expect(p.a.dismiss).toHaveBeenCalledOnce();
    expect(p.a.skip).not.toHaveBeenCalled();
  });

  it("keeps a failed 'Change your password now' open, with the error in words", async () => {
    const failing = actions();
    failing.change = vi.fn(() => Promise.resolve({ ok: false as const, error: { code: "unauthorized" as const, message: "" } }));
    const handle = showPrompt(document, { kind: "change", reason: "temporary", orgName: "Example Corp" }, failing, { trustedOnly: false });
    fireEvent.click([...handle.root.querySelectorAll("button")].find((b) => b.textContent === "Change your password now")!);
    await waitFor(() => expect(handle.root.querySelector(".notice")?.textContent).toBe("Your sign-in has ended. Sign in again to continue."));
    expect(handle.host.isConnected).toBe(true);
  });
});
