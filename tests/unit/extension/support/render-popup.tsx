import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { resetHandlers } from "../../../../extension/background/reset-handlers.js";
import { settingsHandlers } from "../../../../extension/background/settings-handlers.js";
import { onMessages } from "../../../../extension/messaging.js";
import { workerUrlItem } from "../../../../extension/storage.js";
import { backgroundResetsClient } from "../../../../extension/wizard/background-resets-client.js";
import { popupHost } from "../../../../extension/wizard/popup-host.js";
import { Wizard } from "../../../../extension/wizard/wizard.js";
import { WORKER } from "./fake-worker.js";

/** The background's real handlers, as the service worker installs them. */
export function startBackground(): () => void {
  return onMessages({ ...settingsHandlers, ...resetHandlers });
}

/** Opens the popup with the background running and the worker URL saved, and waits for the first screen. */
export async function openPopup(options: { configured?: boolean; firstHeading?: string | RegExp } = {}) {
  startBackground();
  if (options.configured !== false) await workerUrlItem.setValue(WORKER);
  const view = render(<Wizard client={backgroundResetsClient} host={popupHost} />);
  await screen.findByRole("heading", { level: 1, name: options.firstHeading ?? "Reset your password" });
  return view;
}

export const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });

/** The alert region's text once it says something. */
export async function alertText(): Promise<string> {
  let text = "";
  await waitFor(() => {
    text = screen.getByRole("alert").textContent ?? "";
    if (!text) throw new Error("no alert yet");
  });
  return text;
}

/** Username entered and submitted: the popup is on "Prove it's you" (or wherever the start answer leads). */
export async function startAs(username = "jane@example.test", expectHeading: string | RegExp = "Prove it's you") {
  fireEvent.input(screen.getByLabelText("Username"), { target: { value: username } });
  fireEvent.click(screen.getByRole("button", { name: "Continue" }));
  return heading(expectHeading);
}

/** Picks a method by its visible label and presses the step's button. */
export async function chooseMethod(label: RegExp, button: "Send code" | "Continue", expectHeading: string | RegExp) {
  fireEvent.click(screen.getByRole("radio", { name: label }));
  fireEvent.click(screen.getByRole("button", { name: button }));
  return heading(expectHeading);
}

export function typeCode(code: string) {
  fireEvent.input(screen.getByLabelText("Code"), { target: { value: code } });
}

export const pressVerify = () => fireEvent.click(screen.getByRole("button", { name: "Verify" }));
