import { watchSignIn, type Detection, type SignInCredentials } from "../signin-detection/index.js";
import { browser, type Browser } from "wxt/browser";
import { isPromptResolved, sendMessage } from "../messaging.js";
import type { PromptInfo } from "./prompt-info.js";
import { showPrompt, type PromptHandle } from "./prompt-view.js";
import type { Rect } from "./placement.js";

/**
 * The sign-in content script's work (spec §5): watch for the user submitting the detected sign-in
 * form, hand the typed credentials to the background once, and show the prompt it asks for. The
 * password is in this script's memory only for that one message.
 */

const toRect = (el: Element): Rect => {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
};

/** The form's submit button(s) first, then its fields: what the prompt must not cover. */
export function rectsToAvoid(d: Detection | null): Rect[] {
  if (!d || d.groupIndex === null) return [];
  const info = d.snapshot.groups[d.groupIndex]?.buttons ?? [];
  const buttons = d.refs.buttons[d.groupIndex] ?? [];
  const submit = buttons.filter((_, i) => info[i]?.submit);
  const main = (submit.length ? submit : buttons).map(toRect);
  const fields = [d.username, d.password].filter((f): f is HTMLInputElement => f !== null).map(toRect);
  // placePrompt reads the first as the sign-in button and the second as the username.
  const [first, ...rest] = main;
  return first ? [first, ...fields, ...rest] : fields;
}

export interface SignInPrompts {
  stop(): void;
  /** The prompt on screen, if any (for tests). */
  current(): PromptHandle | null;
}

export function startSignInPrompts(doc: Document): SignInPrompts {
  let prompt: PromptHandle | null = null;

  const show = (info: PromptInfo | null) => {
    if (!info) return;
    prompt?.close();
    prompt = showPrompt(
      doc,
      info,
      {
        open: () => sendMessage("prompt.open"),
        change: () => sendMessage("prompt.change"),
        skip: () => sendMessage("prompt.skip"),
        confirm: () => sendMessage("prompt.confirm"),
        dismiss: () => void sendMessage("prompt.dismiss"),
      },
      { avoid: () => rectsToAvoid(watch.current()) },
    );
  };

  const onSubmit = ({ username, password }: SignInCredentials) => {
    // Without a username (an identifier step we never saw) the worker can't check anything.
    if (!username || !password) return;
    void sendMessage("signin.submitted", { username, password }).then((r) => {
      if (!r.ok || !r.value) return;
      show(r.value);
      // This page shows the prompt itself: take back the copy kept for a page that navigates on submit.
      void sendMessage("prompt.pending");
    });
  };

  // Registered meanwhile in another tab: this prompt asks for what is done, so it goes, and the tab lets go of its session.
  const onResolved = (message: unknown, sender: Browser.runtime.MessageSender) => {
    if (!isPromptResolved(message, sender) || !prompt) return;
    prompt.close();
    prompt = null;
    void sendMessage("prompt.dismiss");
  };
  browser.runtime.onMessage.addListener(onResolved);

  const watch = watchSignIn(doc, onSubmit);
  // A sign-in form that navigated away on submit: its prompt waits for this page of the same tab.
  void sendMessage("prompt.pending").then((r) => r.ok && show(r.value));

  return {
    stop() {
      browser.runtime.onMessage.removeListener(onResolved);
      watch.stop();
      prompt?.close();
    },
    current: () => prompt,
  };
}
