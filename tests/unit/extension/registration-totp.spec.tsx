import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { encode } from "uqr";
import { describe, expect, it, vi } from "vitest";
import { qrPath } from "../../../extension/registration/qr-code.js";
import { groupSecret } from "../../../extension/registration/totp-screen.js";
import { alertText } from "./support/render-popup.js";
import { apiError, fakeWorker, type FakeWorker } from "./support/fake-worker.js";
import { meReply, method, openRegistrationPage, registration } from "./support/signin.js";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const URI = `otpauth://totp/Example%20Corp:jane%40example.test?secret=${SECRET}&issuer=Example%20Corp&algorithm=SHA1&digits=6&period=30`;
const APP = method("mth_app", "totp", "Work phone", "pending");
const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });

async function toQr(setup: (w: FakeWorker) => void = () => {}) {
  const worker = fakeWorker().on("GET /v1/me", meReply()).on("POST /v1/me/methods", { status: 201, body: { method: APP, secret: SECRET, otpauthUri: URI } });
  setup(worker);
  await openRegistrationPage();
  fireEvent.click(screen.getByRole("button", { name: "Add an authenticator app" }));
  await heading("Add an authenticator app");
  fireEvent.input(screen.getByLabelText("Name for this app (optional)"), { target: { value: " Work phone " } });
  fireEvent.click(screen.getByRole("button", { name: "Continue" }));
  await screen.findByRole("img", { name: "QR code to add this account to your authenticator app" });
  return worker;
}

describe("registration page: authenticator app", () => {
  it("shows the otpauth URI as a QR code and the secret as text, then verifies the app's code", async () => {
    const worker = await toQr((w) =>
      w.on("POST /v1/me/methods/mth_app/verify", { status: 200, body: { method: { ...APP, status: "active" } } }).on("GET /v1/me", meReply(), meReply(registration({ methods: [{ ...APP, status: "active" }], complete: true, required: false }))),
    );
    expect(worker.calls.find((c) => c.route === "POST /v1/me/methods")?.body).toEqual({ type: "totp", label: "Work phone" });
    const qr = screen.getByRole("img", { name: "QR code to add this account to your authenticator app" });
    expect(qr.querySelector("path")?.getAttribute("d")).toBe(qrPath(encode(URI, { ecc: "M", border: 0 }).data));
    expect(document.querySelector("code.secret")?.textContent).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    const code = screen.getByLabelText("Code the app shows for Example Corp") as HTMLInputElement;
    fireEvent.input(code, { target: { value: "123 456" } });
    expect(code.value).toBe("123456");
    fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    // The same ending as for an email or phone: the overview, with what was added.
    const title = await heading("Your recovery info");
    expect(screen.getByRole("status").textContent).toBe("Authenticator app added.");
    expect(screen.getByRole("button", { name: "Done" })).toBeTruthy();
    expect(document.activeElement).toBe(title);
    expect(worker.calls.find((c) => c.route === "POST /v1/me/methods/mth_app/verify")?.body).toEqual({ code: "123456" });
  });

  it("sends no label when none was given", async () => {
    const worker = fakeWorker().on("GET /v1/me", meReply()).on("POST /v1/me/methods", { status: 201, body: { method: APP, secret: SECRET, otpauthUri: URI } });
    await openRegistrationPage();
    fireEvent.click(screen.getByRole("button", { name: "Add an authenticator app" }));
    await heading("Add an authenticator app");
    fireEvent.click(screen.getByRole("button", { name: "Continue" }));
    await screen.findByRole("img", { name: /QR code/ });
    expect(worker.calls.find((c) => c.route === "POST /v1/me/methods")?.body).toEqual({ type: "totp" });
  });

  it("copies the key with a button", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await toQr();
    fireEvent.click(screen.getByRole("button", { name: "Copy key" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Key copied."));
    expect(writeText).toHaveBeenCalledWith(SECRET);
  });

  it("asks for all 6 digits, and says a wrong code is wrong with the attempts left", async () => {
    await toQr((w) => w.on("POST /v1/me/methods/mth_app/verify", apiError(400, "invalid_code", { details: [{ attemptsLeft: 2 }] })));
    const code = screen.getByLabelText("Code the app shows for Example Corp");
    fireEvent.input(code, { target: { value: "1234" } });
    fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    expect(await alertText()).toBe("Enter all 6 digits of the code.");
    fireEvent.input(code, { target: { value: "123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    expect(await alertText()).toBe("That code isn't right. You have 2 attempts left.");
  });

  it("says how long to wait after too many wrong codes", async () => {
    await toQr((w) => w.on("POST /v1/me/methods/mth_app/verify", apiError(429, "rate_limited", { retryAfter: 540 })));
    fireEvent.input(screen.getByLabelText("Code the app shows for Example Corp"), { target: { value: "123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    expect(await alertText()).toBe("Too many attempts. Try again in 9 minutes.");
  });

  it("removes the half-added app on going back to the methods instead of leaving it pending", async () => {
    const worker = await toQr((w) => w.on("DELETE /v1/me/methods/mth_app", { status: 204 }));
    fireEvent.click(screen.getByRole("button", { name: "Back to your methods" }));
    await heading("Set up password recovery");
    expect(worker.calls.filter((c) => c.route === "DELETE /v1/me/methods/mth_app")).toHaveLength(1);
  });

  it("groups a base32 key in fours, and draws every dark module of the QR matrix inside its quiet zone", () => {
    expect(groupSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
    const qr = encode("otpauth://totp/x?secret=ABC", { border: 0 });
    const dark = qr.data.flat().filter(Boolean).length;
    const path = qrPath(qr.data);
    expect(path.match(/M/g)).toHaveLength(dark);
    // The top-left finder pattern starts at the quiet zone's edge (4 modules in).
    expect(path.startsWith("M4 4h1v1h-1z")).toBe(true);
  });
});
