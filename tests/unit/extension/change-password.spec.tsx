import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { backgroundChangeClient } from "../../../extension/change-password/background-change-client.js";
import { ChangePasswordPage } from "../../../extension/change-password/change-password-page.js";
import { alertText } from "./support/render-popup.js";
import { apiError, fakeWorker, type FakeWorker } from "./support/fake-worker.js";
import { meReply, PAGE_TAB, pageSender, registration, seedSession, sendAs, startFullBackground, TOKEN, user } from "./support/signin.js";

/*
 * Issue 15: the change-password page. From the sign-in prompt it acts with that sign-in's session
 * (a temporary or expired password gives one that can only change it); from the popup it asks for
 * the username as well. Current password, new password with the live checklist, done.
 */

const CHANGE = "POST /v1/me/password";
const NEW = "Winter meadow lantern 42";
const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });
const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const type = (label: string, value: string) => fireEvent.input(field(label), { target: { value } });
const submit = () => fireEvent.click(screen.getByRole("button", { name: "Change password" }));

async function openPage(worker: FakeWorker, firstHeading: string, withSession = true) {
  await startFullBackground();
  if (withSession) await seedSession();
  sendAs(pageSender());
  fakeBrowser.tabs.getCurrent = vi.fn(async () => ({ id: PAGE_TAB }) as Awaited<ReturnType<typeof fakeBrowser.tabs.getCurrent>>);
  fakeBrowser.tabs.remove = vi.fn(async () => {}) as typeof fakeBrowser.tabs.remove;
  render(<ChangePasswordPage client={backgroundChangeClient} />);
  await heading(firstHeading);
  return worker;
}

const temporary = () => fakeWorker().on("GET /v1/me", meReply(registration(), user({ mustChangePassword: true })));

describe("change-password page", () => {
  it("replaces a temporary password with the sign-in's session, ticking the rules as the user types", async () => {
    const worker = await openPage(temporary().on(CHANGE, { status: 204 }).on("DELETE /v1/sessions/current", { status: 204 }), "Choose your own password");
    expect(screen.getByText(/temporary password from your administrator/)).toBeTruthy();
    expect(screen.getByText("For jane@example.test")).toBeTruthy();
    expect(screen.queryByLabelText("Username")).toBeNull();
    expect(field("Temporary password").getAttribute("autocomplete")).toBe("current-password");
    expect(document.activeElement).toBe(field("Temporary password"));
    type("Temporary password", "Tmp-9f3k-22aa-81");
    const rule = () => screen.getByText("Use at least 15 characters.").closest("li")!;
    type("New password", "short");
    expect(rule().className).toContain("unmet");
    type("New password", NEW);
    expect(rule().className).toContain("met");
    expect(field("New password").getAttribute("aria-describedby")).toBe("new-password-rules");
    submit();
    await heading("Password changed");
    const call = worker.calls.find((c) => c.route === CHANGE)!;
    expect(call.body).toEqual({ currentPassword: "Tmp-9f3k-22aa-81", newPassword: NEW });
    expect(call.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    await waitFor(() => expect(fakeBrowser.tabs.remove).toHaveBeenCalledWith(PAGE_TAB));
  });

  it("says an expired password has expired", async () => {
    await openPage(fakeWorker().on("GET /v1/me", meReply(registration(), user({ passwordExpired: true }))), "Your password has expired");
    expect(field("Current password")).toBeTruthy();
  });

  it("from the popup asks for the username too, signs in for the change and signs out", async () => {
    const session = { status: 201, body: { token: "tok_p", expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: user(), registration: registration() } };
    const worker = await openPage(
      fakeWorker().on("POST /v1/sessions", session).on(CHANGE, { status: 204 }).on("DELETE /v1/sessions/current", { status: 204 }),
      "Change your password",
      false,
    );
    expect(screen.getByText(/Enter your username and the password you use now/)).toBeTruthy();
    submit();
    expect(await alertText()).toBe("Enter your username.");
    type("Username", " jane@example.test ");
    type("Current password", "Old password 2019!");
    type("New password", NEW);
    submit();
    await heading("Password changed");
    expect(worker.calls.map((c) => c.route)).toEqual(["GET /v1/config", "POST /v1/sessions", CHANGE, "DELETE /v1/sessions/current"]);
    expect(worker.calls[1]!.body).toEqual({ username: "jane@example.test", password: "Old password 2019!" });
  });

  it("refuses locally a new password that breaks a rule or repeats the current one", async () => {
    const worker = await openPage(temporary(), "Choose your own password");
    type("Temporary password", NEW);
    type("New password", "short");
    submit();
    expect(await alertText()).toBe("Your new password doesn't meet the rules marked ✗ yet.");
    type("New password", NEW);
    submit();
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Choose a new password that is different from your current one."));
    expect(field("New password").getAttribute("aria-invalid")).toBe("true");
    expect(worker.calls.some((c) => c.route === CHANGE)).toBe(false);
  });

  it.each([
    ["a wrong current password", apiError(400, "invalid_current_password"), "Your current password isn't right. Check it and try again.", true],
    ["the directory out of reach", apiError(503, "directory_unavailable"), "Your organisation's directory can't be reached right now, so nothing was changed. Try again in a few minutes; if it keeps happening, contact your helpdesk.", false],
    ["a lockout", apiError(429, "rate_limited", { retryAfter: 120 }), "Too many attempts. Try again in 2 minutes.", false],
  ])("says in words: %s", async (_, reply, text, clearsCurrent) => {
    await openPage(temporary().on(CHANGE, reply), "Choose your own password");
    type("Temporary password", "Tmp-9f3k-22aa-81");
    type("New password", NEW);
    submit();
    expect(await alertText()).toBe(text);
    await waitFor(() => expect(field("Temporary password").value).toBe(clearsCurrent ? "" : "Tmp-9f3k-22aa-81"));
    expect(field("Temporary password").getAttribute("aria-invalid")).toBe(clearsCurrent ? "true" : null);
  });

  it("shows the directory's own refusal (422 rule \"directory\") and marks the new password", async () => {
    const refusal = apiError(422, "password_policy", { details: [{ rule: "directory", message: "The password does not meet the domain's complexity requirements." }] });
    await openPage(temporary().on(CHANGE, refusal), "Choose your own password");
    type("Temporary password", "Tmp-9f3k-22aa-81");
    type("New password", NEW);
    submit();
    expect(await alertText()).toBe("Choose a different password:The password does not meet the domain's complexity requirements.");
    expect(field("New password").getAttribute("aria-invalid")).toBe("true");
  });

  it("when the sign-in's session has ended, goes on without it: asks for the username", async () => {
    await openPage(temporary().on(CHANGE, apiError(401, "unauthorized")).on("DELETE /v1/sessions/current", { status: 204 }), "Choose your own password");
    type("Temporary password", "Tmp-9f3k-22aa-81");
    type("New password", NEW);
    submit();
    await heading("Change your password");
    expect(field("Username")).toBeTruthy();
  });
});
