import { useState } from "preact/hooks";
import type { ClientError } from "../result.js";
import { useBusyRequest } from "../ui/use-busy-request.js";
import type { ChangePasswordClient } from "./change-client.js";
import type { ChangePasswordRequest, ChangePasswordView } from "./view.js";

export type PageScreen = { name: "loading" } | { name: "form"; view: ChangePasswordView } | { name: "done"; view: ChangePasswordView } | { name: "problem"; error: ClientError };

/** The change-password page's states: load who is signed in (if anyone), change, done. */
export function useChangePassword(client: ChangePasswordClient) {
  const [screen, setScreen] = useState<PageScreen>({ name: "loading" });
  const { error, setError, busy, request, clearNotices } = useBusyRequest<ClientError>();
  /** Bumped after a refusal, so the form can empty the field the error is about. */
  const [attempt, setAttempt] = useState(0);

  async function load() {
    clearNotices();
    setScreen({ name: "loading" });
    const res = await client.load();
    setScreen(res.ok ? { name: "form", view: res.value } : { name: "problem", error: res.error });
  }

  async function change(input: ChangePasswordRequest) {
    const res = await request(client.change(input));
    if (res.ok) return setScreen(screen.name === "form" ? { name: "done", view: screen.view } : screen);
    setAttempt((n) => n + 1);
    if (res.error.code === "unauthorized" && screen.name === "form" && screen.view.account) {
      // The sign-in's session ended under the page: ask for the username too, and say why.
      setScreen({ name: "form", view: { ...screen.view, account: null } });
    }
    setError(res.error);
  }

  return { screen, error, busy, attempt, load, change, close: () => client.close() };
}
