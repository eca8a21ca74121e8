import { fireEvent, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { resetSessionStore } from "../../../extension/storage.js";
import { apiError, CONFIG, EMAIL, fakeWorker, networkDown, reset, WORKER } from "./support/fake-worker.js";
import { alertText, heading, openPopup } from "./support/render-popup.js";

const session = { baseUrl: WORKER, resetId: "rst_1", resetToken: "tok_secret", username: "jane@example.test" };

describe("wizard: opening the popup", () => {
  it("sends an unconfigured user to the settings", async () => {
    fakeWorker();
    await openPopup({ configured: false, firstHeading: "Set up password reset" });
    fireEvent.click(screen.getByRole("button", { name: "Open settings" }));
    expect(fakeBrowser.runtime.openOptionsPage).toHaveBeenCalled();
  });

  it("uses the worker URL from managed storage over the one the user saved", async () => {
    const worker = fakeWorker();
    await fakeBrowser.storage.managed.set({ workerUrl: "https://managed.example.test/", orgName: "Managed Org" });
    await openPopup();
    expect(worker.calls[0]?.route).toBe("GET /v1/config");
    expect((fetch as unknown as { mock: { calls: [string][] } }).mock.calls[0]?.[0]).toBe("https://managed.example.test/v1/config");
  });

  it("shows an unreachable worker with a retry that recovers", async () => {
    networkDown();
    await openPopup({ firstHeading: "Can't reach the password service" });
    expect(await alertText()).toContain("Check your internet connection");
    fakeWorker();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await heading("Reset your password");
  });

  it("treats an answer outside the contract as a problem, not a crash", async () => {
    fakeWorker().on("GET /v1/config", { status: 200, body: { orgName: 42 } });
    await openPopup({ firstHeading: "Something went wrong" });
    expect(await alertText()).toContain("The service's answer didn't make sense");
    expect(screen.getByRole("button", { name: "Check the settings" })).toBeTruthy();
  });

  it("reopens at the code the user was entering (the popup closes when they read their mail)", async () => {
    const worker = fakeWorker().on("GET /v1/resets/rst_1", { status: 200, body: reset() });
    await resetSessionStore.set({ ...session, challenge: { methodId: EMAIL.id, type: "email", expiresAt: new Date(Date.now() + 300_000).toISOString() } });
    await openPopup({ firstHeading: "Check your email" });
    expect(screen.getByText(/We sent a code to j•••@e•••\.com\. It works for 5 minutes\./)).toBeTruthy();
    expect(worker.calls.find((c) => c.route === "GET /v1/resets/rst_1")?.headers.Authorization).toBe("Bearer tok_secret");
  });

  it("reopens at the second check when one method is verified", async () => {
    fakeWorker().on("GET /v1/resets/rst_1", { status: 200, body: reset({ methodsRequired: 2, verifiedMethodIds: [EMAIL.id] }) });
    await resetSessionStore.set({ ...session, challenge: null });
    await openPopup({ firstHeading: "One more check" });
  });

  it("starts fresh when the stored reset has expired", async () => {
    fakeWorker().on("GET /v1/resets/rst_1", apiError(410, "reset_expired"));
    await resetSessionStore.set({ ...session, challenge: null });
    await openPopup();
    expect(await resetSessionStore.get()).toBeNull();
  });

  it("puts the org name from the policy at the top and links the helpdesk on every step", async () => {
    fakeWorker().on("GET /v1/config", { status: 200, body: { ...CONFIG, orgName: "Contoso", helpdesk: { url: null, email: "help@contoso.test" } } });
    await openPopup();
    expect(screen.getByText("Contoso")).toBeTruthy();
    expect(screen.getByRole("link", { name: "help@contoso.test" }).getAttribute("href")).toBe("mailto:help@contoso.test");
  });

  it("never turns a non-https helpdesk URL into a link", async () => {
    fakeWorker().on("GET /v1/config", { status: 200, body: { ...CONFIG, helpdesk: { url: "javascript:alert(1)", email: null } } });
    await openPopup();
    expect(screen.queryByRole("link")).toBeNull();
    expect(screen.getByText("Stuck? Contact your IT helpdesk.")).toBeTruthy();
  });
});
