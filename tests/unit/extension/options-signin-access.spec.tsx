import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { SignInAccessSection } from "../../../extension/options/signin-access.js";
import { CONFIG, fakeWorker } from "./support/fake-worker.js";
import { startFullBackground } from "./support/signin.js";

const PAGES = ["https://login.example.test/*", "https://sso.example.test/*"];

/** Host permissions as Chrome keeps them; `answer` is what the user clicks in Chrome's dialog. */
function fakePermissions(answer: boolean) {
  const granted = new Set<string>();
  let requestedDuringClick = false;
  const permissions = {
    contains: vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o))),
    request: vi.fn(({ origins }: { origins: string[] }) => {
      requestedDuringClick = true;
      if (answer) origins.forEach((o) => granted.add(o));
      return Promise.resolve(answer);
    }),
  };
  const scripting = {
    getRegisteredContentScripts: vi.fn(async () => []),
    registerContentScripts: vi.fn(async () => {}),
    updateContentScripts: vi.fn(async () => {}),
    unregisterContentScripts: vi.fn(async () => {}),
  };
  Object.assign(fakeBrowser, { permissions, scripting });
  return { permissions, scripting, wasRequestedDuringClick: () => requestedDuringClick };
}

async function openSection(signInPages = PAGES) {
  fakeWorker().on("GET /v1/config", { status: 200, body: { ...CONFIG, signInPages } });
  // The test's own permissions stand: nothing is granted yet.
  await startFullBackground({ grantSignInPage: false });
  render(<SignInAccessSection refresh={0} />);
}

describe("options page: sign-in prompts", () => {
  it("lists the policy's sign-in pages and asks for exactly those, in the click, then registers the script", async () => {
    const chrome = fakePermissions(true);
    await openSection();
    const button = await screen.findByRole("button", { name: "Enable sign-in prompts for 2 sites" });
    // Readable: the host and path, with the exact pattern in the tooltip.
    expect(screen.getByText("login.example.test").getAttribute("title")).toBe("https://login.example.test/*");
    expect(screen.queryByText("https://login.example.test/*")).toBeNull();
    fireEvent.click(button);
    // Chrome refuses permissions.request outside a user gesture: it must start before any await.
    expect(chrome.wasRequestedDuringClick()).toBe(true);
    expect(chrome.permissions.request).toHaveBeenCalledWith({ origins: PAGES });
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Sign-in prompts are on."));
    expect(chrome.scripting.registerContentScripts).toHaveBeenCalledWith([expect.objectContaining({ matches: PAGES })]);
    expect(screen.queryByRole("button", { name: /Enable sign-in prompts/ })).toBeNull();
  });

  it("names the server that checks the typed passwords", async () => {
    fakePermissions(true);
    await openSection(["https://login.example.test/*"]);
    await screen.findByRole("button", { name: "Enable sign-in prompts for 1 site" });
    expect(document.querySelector(".signin-access > p")?.textContent).toContain("checks the password you type there with sspr.example.test, your organisation's password reset service");
    expect(document.querySelector(".signin-access strong.server")?.textContent).toBe("sspr.example.test");
  });

  it("refuses a pattern that matches every website, in words, and never asks for it", async () => {
    const chrome = fakePermissions(true);
    await openSection(["https://login.example.test/*", "*://*/*", "<all_urls>"]);
    const button = await screen.findByRole("button", { name: "Enable sign-in prompts for 1 site" });
    expect(screen.queryByText("Any website")).toBeNull();
    const refusal = document.querySelector(".refused")!;
    expect(refusal.textContent).toContain("pages that match every website");
    expect([...refusal.querySelectorAll("code")].map((c) => c.textContent)).toEqual(["*://*/*", "<all_urls>"]);
    fireEvent.click(button);
    expect(chrome.permissions.request).toHaveBeenCalledWith({ origins: ["https://login.example.test/*"] });
    await waitFor(() => expect(chrome.scripting.registerContentScripts).toHaveBeenCalledWith([expect.objectContaining({ matches: ["https://login.example.test/*"] })]));
  });

  it("says so even when every pattern the policy lists is refused", async () => {
    const chrome = fakePermissions(true);
    await openSection(["https://*/*"]);
    await waitFor(() => expect(document.querySelector(".refused code")?.textContent).toBe("https://*/*"));
    expect(screen.queryByRole("button", { name: /Enable sign-in prompts/ })).toBeNull();
    expect(chrome.permissions.request).not.toHaveBeenCalled();
  });

  it("says what it means when the user refuses", async () => {
    fakePermissions(false);
    await openSection(["https://login.example.test/*"]);
    fireEvent.click(await screen.findByRole("button", { name: "Enable sign-in prompts for 1 site" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("Access wasn't allowed, so there will be no reminders on these pages."));
  });

  it("shows nothing when the policy lists no sign-in pages", async () => {
    fakePermissions(true);
    await openSection([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole("heading", { name: "Sign-in prompts" })).toBeNull();
  });
});
