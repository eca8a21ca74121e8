import { t, uiDirection } from "../i18n.js";
import type { ApiResult } from "../result.js";
import type { PromptInfo } from "./prompt-info.js";
import { PROMPT_CSS } from "./prompt-styles.js";
import { bodyOf, promptError, skippedText, skipsText, titleOf } from "./prompt-text.js";
import { placePrompt, type Rect } from "./placement.js";
import { watchSeen } from "./seen-by-user.js";

/**
 * The in-page prompt (spec §5, §10): a shadow root on a host element of our own, in the top layer
 * (a manual popover) so the page's z-indexes and stacking can't bury it; `all: initial` inline and
 * `!important` so the page's CSS can't restyle the host; every rule inside the root. Keyboard: focus
 * moves to it, Tab walks its buttons in reading order, Escape dismisses. Only trusted (real user)
 * clicks and keys act, so the page's scripts can't press "Not now" and spend the user's skips.
 *
 * The page must not read or relabel it either (a "Not now" relabelled "Continue" spends a skip): the
 * root is closed, and the only references to it live in this isolated world (the handle), never on
 * the host as attributes or properties. Events from inside reach the page retargeted to the host, so
 * they don't say which button was pressed. An extension-origin iframe would isolate as well, but
 * needs a web-accessible page any site could frame: more than the manifest should grant. A pointer
 * click acts only while the prompt is seen undisguised (seen-by-user.ts).
 */

export interface PromptActions {
  open(): Promise<ApiResult<null>>;
  /** Opens the change-password page with this sign-in's session. */
  change(): Promise<ApiResult<null>>;
  skip(): Promise<ApiResult<{ skipsLeft: number }>>;
  confirm(): Promise<ApiResult<null>>;
  /** Closed without an answer (× or Escape). */
  dismiss(): void;
}

export interface PromptOptions {
  /** The page's sign-in button first, then its fields: the prompt never covers them. */
  avoid?: () => Rect[];
  /** Ignore synthetic events (tests of the views turn this off; one test proves it on). */
  trustedOnly?: boolean;
}

export interface PromptHandle {
  host: HTMLElement;
  /** Closed: reachable only through this handle, which the page's scripts never see. */
  root: ShadowRoot;
  place(): void;
  close(): void;
}

export const PROMPT_TAG = "opensspr-prompt";
const WIDTH = 360;
const HOST_STYLE = `all: initial !important; position: fixed !important; z-index: 2147483647 !important; display: block !important; margin: 0 !important; padding: 0 !important; border: 0 !important; background: transparent !important; overflow: visible !important; inset: auto !important; width: ${WIDTH}px !important; max-width: calc(100vw - 32px) !important;`;

type View = "ask" | "skipped" | "confirmed";

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attrs: Record<string, string> = {}, text = ""): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

/** A modal <dialog> makes the rest of the page inert: the prompt must live inside it to be usable. */
function openModal(doc: Document): HTMLDialogElement | null {
  try {
    return doc.querySelector<HTMLDialogElement>("dialog:modal");
  } catch {
    return null; // a browser without :modal
  }
}

export function showPrompt(doc: Document, info: PromptInfo, actions: PromptActions, options: PromptOptions = {}): PromptHandle {
  const trustedOnly = options.trustedOnly ?? true;
  const view = doc.defaultView ?? window;
  const host = el(doc, PROMPT_TAG as "div");
  const root = host.attachShadow({ mode: "closed" });
  // The page's own lang and dir say nothing about the prompt's words: an English page can get an Arabic prompt.
  const card = el(doc, "section", { class: "card", role: "dialog", "aria-labelledby": "title", "aria-describedby": "body", tabindex: "-1", lang: t("htmlLang"), dir: uiDirection() });
  root.append(el(doc, "style", {}, PROMPT_CSS), card);
  let skipsLeft = "skipsLeft" in info ? info.skipsLeft : 0;
  let busy = false;
  let closed = false;
  const cleanup = new AbortController();
  const seen = watchSeen(view, card);

  const place = () => {
    if (closed) return;
    // scrollHeight: the card's whole height even while a previous placement keeps it shorter.
    const size = { width: Math.min(WIDTH, view.innerWidth - 32), height: card.scrollHeight || card.getBoundingClientRect().height || 200 };
    const at = placePrompt({ width: view.innerWidth, height: view.innerHeight }, size, options.avoid?.() ?? [], uiDirection());
    host.setAttribute("style", `${HOST_STYLE} left: ${at.left}px !important; top: ${at.top}px !important;`);
    card.style.maxHeight = at.maxHeight === undefined ? "" : `${at.maxHeight}px`;
    card.classList.toggle("tight", at.maxHeight !== undefined);
  };

  const close = () => {
    if (closed) return;
    closed = true;
    cleanup.abort();
    seen.stop();
    host.remove();
  };

  const dismiss = () => {
    close();
    actions.dismiss();
  };

  /** A real user's click: trusted, and by pointer only on a prompt the user could see (keys have detail 0). */
  const byUser = (e: MouseEvent) => !trustedOnly || (e.isTrusted && (e.detail === 0 || seen.visible()));

  const button = (label: string, kind: "primary" | "secondary", run: (b: HTMLButtonElement) => void) => {
    const b = el(doc, "button", { type: "button", class: kind }, label);
    b.addEventListener("click", (e) => {
      if (!byUser(e) || busy) return;
      run(b);
    });
    return b;
  };

  /** Runs one background call with the buttons marked busy; an error stays in the prompt, in words. */
  async function act<T>(b: HTMLButtonElement, call: () => Promise<ApiResult<T>>, done: (value: T) => void) {
    const label = b.textContent ?? "";
    busy = true;
    b.textContent = t("working");
    for (const other of root.querySelectorAll("button")) other.setAttribute("aria-disabled", "true");
    const res = await call();
    busy = false;
    if (closed) return;
    b.textContent = label;
    for (const other of root.querySelectorAll("button")) other.removeAttribute("aria-disabled");
    if (res.ok) return done(res.value);
    if (res.error.code === "no_skips_left") {
      skipsLeft = 0;
      render("ask");
    }
    const notice = root.querySelector(".notice");
    if (notice) notice.textContent = promptError(res.error);
  }

  function render(which: View) {
    const closeButton = el(doc, "button", { type: "button", class: "close", "aria-label": t("promptCloseLabel") }, "×");
    closeButton.addEventListener("click", (e) => byUser(e) && dismiss());
    const head = el(doc, "div", { class: "head" });
    const title = which === "confirmed" ? t("promptConfirmedTitle") : titleOf(info);
    head.append(el(doc, "h2", { id: "title" }, title), closeButton);
    const parts: HTMLElement[] = [];
    if (info.orgName) parts.push(el(doc, "p", { class: "org" }, info.orgName));
    parts.push(head);
    const actionsRow = el(doc, "div", { class: "actions" });
    let focus: HTMLElement = card;

    if (which === "ask" && (info.kind === "change" || info.kind === "expiring")) {
      parts.push(el(doc, "p", { id: "body" }, bodyOf(info)));
      actionsRow.append(button(t("promptChangeNow"), "primary", (b) => void act(b, actions.change, close)));
      // A password that must be replaced can't be put off (× still closes the prompt: spec §10); a notice can.
      if (info.kind === "expiring") actionsRow.append(button(t("promptNotNow"), "secondary", dismiss));
    } else if (which === "ask") {
      parts.push(el(doc, "p", { id: "body" }, bodyOf(info)));
      const skips = skipsText(info, skipsLeft);
      if (skips) parts.push(el(doc, "p", { class: "muted" }, skips));
      const open = button(info.kind === "required" ? t("promptSetUp") : t("promptReview"), info.kind === "required" ? "primary" : "secondary", (b) =>
        void act(b, actions.open, close),
      );
      if (info.kind === "reconfirm") {
        actionsRow.append(button(t("promptConfirm"), "primary", (b) => void act(b, actions.confirm, () => render("confirmed"))));
      }
      actionsRow.append(open);
      if (skipsLeft > 0) {
        actionsRow.append(
          button(t("promptNotNow"), "secondary", (b) =>
            void act(b, actions.skip, (r) => {
              skipsLeft = r.skipsLeft;
              render("skipped");
            }),
          ),
        );
      }
    } else {
      parts.push(el(doc, "p", { id: "body" }, which === "skipped" ? skippedText(skipsLeft) : t("promptConfirmedBody")));
      const done = button(t("close"), "primary", close);
      actionsRow.append(done);
      focus = done;
    }
    parts.push(el(doc, "p", { class: "notice error", role: "alert" }), actionsRow);
    card.replaceChildren(...parts);
    place();
    focus.focus();
  }

  root.addEventListener(
    "keydown",
    (e) => {
      const key = e as KeyboardEvent;
      if (key.key === "Escape" && (!trustedOnly || key.isTrusted)) {
        key.stopPropagation();
        dismiss();
      }
    },
    { signal: cleanup.signal },
  );

  const attach = () => {
    const modal = openModal(doc);
    (modal ?? doc.documentElement).append(host);
    if (modal) {
      // Inside the page's modal dialog (already in the top layer); when the page closes it, come out.
      host.removeAttribute("popover");
      modal.addEventListener("close", attach, { once: true, signal: cleanup.signal });
    } else {
      host.setAttribute("popover", "manual");
      if (typeof host.showPopover === "function" && !host.matches(":popover-open")) host.showPopover();
    }
    place();
  };

  let frame = 0;
  const replace = () => {
    if (frame) return;
    frame = view.requestAnimationFrame(() => {
      frame = 0;
      place();
    });
  };
  view.addEventListener("resize", replace, { passive: true, signal: cleanup.signal });
  view.addEventListener("scroll", replace, { passive: true, capture: true, signal: cleanup.signal });

  attach();
  render("ask");
  return { host, root, place, close };
}
