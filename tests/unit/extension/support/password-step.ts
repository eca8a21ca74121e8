import { screen } from "@testing-library/preact";
import { fakeWorker, reset, started, TOTP } from "./fake-worker.js";
import { chooseMethod, heading, openPopup, pressVerify, startAs, typeCode } from "./render-popup.js";

export const PASSWORD = "POST /v1/resets/rst_1/password";
export const COMMON_RULE = "Choose a less common password; a few unrelated words work well.";
const verified = reset({ status: "verified", verifiedMethodIds: [TOTP.id] });

export const rule = (text: string) => screen.getByText(text).closest("li")!;

/** A verified reset (one TOTP code): the popup is on "Choose a new password". */
export async function atPassword(setup: (w: ReturnType<typeof fakeWorker>) => void = () => {}) {
  const worker = fakeWorker().on("POST /v1/resets", started()).on("POST /v1/resets/rst_1/verify", { status: 200, body: verified });
  setup(worker);
  await openPopup();
  await startAs("jane@example.test");
  await chooseMethod(/authenticator app/, "Continue", "Enter the code from your app");
  typeCode("123456");
  pressVerify();
  await heading("Choose a new password");
  return worker;
}
