import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { apiError, fakeWorker, networkDown, started } from "./support/fake-worker.js";
import { alertText, heading, openPopup } from "./support/render-popup.js";

const typeUsername = (value: string) => fireEvent.input(screen.getByLabelText("Username"), { target: { value } });
const submit = () => fireEvent.click(screen.getByRole("button", { name: "Continue" }));

describe("wizard: username step", () => {
  it("shows the org name, \"Step 1\" without a total (not known before the username) and focuses the username field", async () => {
    fakeWorker();
    await openPopup();
    expect(screen.getByText("Example Corp")).toBeTruthy();
    // The policy says 1 method, but this user may need 2: a guessed total would change mid-flow.
    expect(document.querySelector(".progress")?.textContent).toBe("Step 1");
    expect(screen.queryByText(/Step \d of/)).toBeNull();
    // Keyboard users start typing at once: the new screen focuses its first field.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("Username")));
    expect(screen.getByLabelText("Username").getAttribute("autocomplete")).toBe("username");
  });

  it("asks for a username instead of sending an empty one", async () => {
    const worker = fakeWorker();
    await openPopup();
    submit();
    expect(await alertText()).toBe("Enter your username.");
    expect(worker.calls.map((c) => c.route)).not.toContain("POST /v1/resets");
  });

  it("starts a reset with the trimmed username and moves to the methods", async () => {
    const worker = fakeWorker().on("POST /v1/resets", started());
    await openPopup();
    typeUsername("  jane@example.test ");
    submit();
    await heading("Prove it's you");
    expect(worker.calls.find((c) => c.route === "POST /v1/resets")?.body).toEqual({ username: "jane@example.test", purpose: "reset" });
  });

  it("shows the helpdesk message for an unavailable user, the same for every reason", async () => {
    fakeWorker().on("POST /v1/resets", { status: 200, body: { status: "unavailable", helpdesk: { url: "https://help.example.test/it", email: null } } });
    await openPopup();
    typeUsername("nobody@example.test");
    submit();
    await heading("Can't reset this password");
    const link = screen.getByRole("link", { name: "Contact your helpdesk" });
    expect(link.getAttribute("href")).toBe("https://help.example.test/it");
    fireEvent.click(screen.getByRole("button", { name: "Try another username" }));
    await heading("Reset your password");
  });

  it("says how long to wait when starting is rate limited", async () => {
    fakeWorker().on("POST /v1/resets", apiError(429, "rate_limited", { retryAfter: 120 }));
    await openPopup();
    typeUsername("jane@example.test");
    submit();
    expect(await alertText()).toBe("Too many attempts. Try again in 2 minutes.");
  });

  it("explains a network failure on start and keeps the username", async () => {
    fakeWorker();
    await openPopup();
    networkDown();
    typeUsername("jane@example.test");
    submit();
    expect(await alertText()).toContain("Check your internet connection");
    expect((screen.getByLabelText("Username") as HTMLInputElement).value).toBe("jane@example.test");
  });
});
