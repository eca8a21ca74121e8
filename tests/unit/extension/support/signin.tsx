import { render, screen } from "@testing-library/preact";
import { vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { accessHandlers } from "../../../../extension/background/access-handlers.js";
import { passwordHandlers } from "../../../../extension/background/password-handlers.js";
import { promptHandlers } from "../../../../extension/background/prompt-handlers.js";
import { registrationHandlers } from "../../../../extension/background/registration-handlers.js";
import { resetHandlers } from "../../../../extension/background/reset-handlers.js";
import { settingsHandlers } from "../../../../extension/background/settings-handlers.js";
import { isOwnContentScript, onMessages } from "../../../../extension/messaging.js";
import { RegistrationPage } from "../../../../extension/registration/registration-page.js";
import { signInPagesItem, signInStore, workerUrlItem } from "../../../../extension/storage.js";
import { WORKER } from "./fake-worker.js";
import { fakeHostPermissions } from "./permissions.js";

/** Tabs in these tests: the sign-in page where the content script runs, and the registration page it opened. */
export const SIGNIN_TAB = 3;
export const PAGE_TAB = 7;

export const contentSender = (tabId = SIGNIN_TAB) => ({ id: fakeBrowser.runtime.id, tab: { id: tabId }, frameId: 0, url: "https://login.example.test/signin" });
export const pageSender = (tabId = PAGE_TAB) => ({ id: fakeBrowser.runtime.id, tab: { id: tabId }, url: fakeBrowser.runtime.getURL("/registration.html") });

/** Every message sent from here on carries this sender, as Chrome would set it for that context. */
export function sendAs(sender: object): void {
  fakeBrowser.runtime.sendMessage = (async (message: unknown) =>
    (await fakeBrowser.runtime.onMessage.trigger(message, sender)).find((r) => r !== undefined)) as typeof fakeBrowser.runtime.sendMessage;
}

/** The background as the service worker installs it (entrypoints/background.ts), with the worker URL saved. */
export async function startFullBackground(o: { grantSignInPage?: boolean } = {}): Promise<void> {
  onMessages({ ...settingsHandlers, ...resetHandlers, ...accessHandlers, ...registrationHandlers, ...passwordHandlers });
  onMessages(promptHandlers, isOwnContentScript);
  await workerUrlItem.setValue(WORKER);
  // The policy's sign-in pages, as the background last synced them, with access granted: contentSender's page is one.
  await signInPagesItem.setValue(["https://login.example.test/*"]);
  if (o.grantSignInPage ?? true) fakeHostPermissions({ granted: ["https://login.example.test/*"] });
}

export const TOKEN = "session-token-secret";

/** A sign-in session held for a tab, as "signin.submitted" leaves it. */
export async function seedSession(tabId = PAGE_TAB, expiresInMs = 8 * 3600_000): Promise<void> {
  await signInStore.update((s) => {
    s.sessions.s1 = { id: "s1", baseUrl: WORKER, token: TOKEN, expiresAt: new Date(Date.now() + expiresInMs).toISOString(), orgName: "Example Corp", userId: "usr_1" };
    s.tabs[String(tabId)] = "s1";
  });
}

const at = "2026-01-01T00:00:00.000Z";
export const method = (id: string, type: "email" | "sms" | "totp" | "security_questions", hint: string, status: "active" | "pending" = "active") => ({
  id,
  type,
  hint,
  status,
  createdAt: at,
  verifiedAt: status === "active" ? at : null,
});

export function registration(over: Partial<{ methods: object[]; complete: boolean; required: boolean; reconfirmDue: boolean; skipsLeft: number; methodsRequired: number }> = {}) {
  return { methodsRequired: 1, methods: [], complete: false, required: true, reconfirmDue: false, skipsLeft: 3, lastConfirmedAt: null, ...over };
}

export function user(over: Partial<{ roles: string[]; mustChangePassword: boolean; passwordExpired: boolean; passwordExpiresAt: string | null; source: string }> = {}) {
  return {
    id: "usr_1",
    username: "jane@example.test",
    displayName: "Jane Doe",
    source: "native",
    roles: ["user"],
    groups: [],
    mustChangePassword: false,
    disabled: false,
    createdAt: at,
    passwordChangedAt: at,
    passwordExpiresAt: null,
    passwordNeverExpires: false,
    locale: null,
    passwordExpired: false,
    ...over,
  };
}

export const meReply = (reg = registration(), u = user()) => ({ status: 200, body: { user: u, registration: reg } });

/** The registration page in its tab, with the background running and a session for the tab; waits for the first heading. */
export async function openRegistrationPage(firstHeading: string | RegExp = "Set up password recovery", options: { session?: boolean } = {}) {
  await startFullBackground();
  if (options.session !== false) await seedSession();
  sendAs(pageSender());
  fakeBrowser.tabs.getCurrent = vi.fn(async () => ({ id: PAGE_TAB }) as Awaited<ReturnType<typeof fakeBrowser.tabs.getCurrent>>);
  fakeBrowser.tabs.remove = vi.fn(async () => {}) as typeof fakeBrowser.tabs.remove;
  const view = render(<RegistrationPage />);
  await screen.findByRole("heading", { level: 1, name: firstHeading });
  return view;
}
