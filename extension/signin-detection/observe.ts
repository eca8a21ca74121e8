import { detectSignIn, type Detection } from "./detect.js";
import { NEXT, norm, SIGNIN, wordBits } from "./lexicon.js";
import { uniqueSelector } from "./selectors.js";
import { searchShadowRoots } from "./shadow-search.js";
import type { Root } from "./snapshot.js";
import { isAutofilled, typedByUser } from "./typed-by-user.js";

/**
 * Keeps a detection current while the page changes (forms built by scripts, dialogs opened,
 * SPA route changes) and reports a sign-in submission, with or without a <form>, when the user
 * (not the page's script) put the password in (typed-by-user.ts).
 */

export interface SignInCredentials {
  /** The typed identifier; on an identifier-first flow, the one typed on the earlier step; null if unknown. */
  username: string | null;
  /** Handed over once, never kept here (spec §5): pass it to the background and drop it. */
  password: string;
  /** `uniqueSelector` of the form or form-less container. */
  formSelector: string;
}

export interface WatchOptions {
  /** Quiet time after the last mutation before re-detecting. */
  debounceMs?: number;
  /** Upper bound on the wait while mutations keep coming (animated pages). */
  maxWaitMs?: number;
}

export interface SignInWatch {
  /** The latest detection (null until the first one, debounceMs after the document has loaded). */
  current(): Detection | null;
  /** Re-detects now, skipping any pending wait. */
  flush(): Detection;
  /** No detection is waiting and the search for shadow roots has finished. */
  idle(): boolean;
  stop(): void;
}

const WATCHED_ATTRIBUTES = ["class", "style", "hidden", "type", "open", "aria-hidden", "inert", "disabled"];
const TOGGLE_OR_SSO = /^(show|hide|toggle|clear)\b|\b(with|mit|avec|con|met|com|med|przez)\b/i;

export function watchSignIn(
  doc: Document,
  onSignInSubmit: (credentials: SignInCredentials) => void,
  onDetected?: (detection: Detection) => void,
  options: WatchOptions = {},
): SignInWatch {
  const { debounceMs = 150, maxWaitMs = 600 } = options;
  const view = doc.defaultView ?? globalThis;
  const abort = new AbortController();
  const watched = new WeakSet<Node>();
  const observer = new view.MutationObserver(schedule);
  let current: Detection | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstMutation = 0;
  let identifier: string | null = null; // memory only; lost with the document, like the page's own state
  let lastSubmit = 0;
  // The document and the open shadow roots found so far (idle-time search, or an event's path).
  let roots: Root[] = [doc];
  let cancelSearch: (() => void) | null = null;
  // Only added nodes can bring new shadow roots; a class or style change (animations) cannot.
  let nodesAdded = true;
  // Each field's value after the user's last trusted input: no more than the page's own DOM holds, kept
  // to tell it from a value a script put there later (and to allow a retry without retyping).
  const typed = new WeakMap<Element, string>();

  function watch(root: Document | ShadowRoot): void {
    if (watched.has(root)) return;
    watched.add(root);
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
    // click, keydown and input cross shadow boundaries (composed); submit does not, so each root listens for it.
    const types = root === doc ? ["submit", "click", "keydown", "input"] : ["submit"];
    for (const type of types) root.addEventListener(type, onEvent, { capture: true, signal: abort.signal });
  }

  function schedule(records: MutationRecord[] = []): void {
    if (records.some((r) => r.addedNodes.length > 0)) nodesAdded = true;
    const now = Date.now();
    if (timer === undefined) firstMutation = now;
    else view.clearTimeout(timer);
    timer = view.setTimeout(run, Math.max(0, Math.min(debounceMs, maxWaitMs - (now - firstMutation))));
  }

  /**
   * After nodes were added, look again for shadow roots, in idle slices; re-detect if the set changed.
   * A restarted walk begins at the document again, so restarting on every animation frame's attribute
   * change would keep a walk on a big, busy page from ever finishing.
   */
  function searchRoots(): void {
    cancelSearch?.();
    cancelSearch = searchShadowRoots(doc, (found) => {
      cancelSearch = null;
      const same = found.length === roots.length - 1 && found.every((r, i) => roots[i + 1] === r);
      if (same) return;
      roots = [doc, ...found];
      run(false);
    });
  }

  function run(searchAfter = true): Detection {
    if (timer !== undefined) view.clearTimeout(timer);
    timer = undefined;
    const d = detectSignIn(doc, roots);
    for (const root of d.refs.shadowRoots) watch(root);
    if (searchAfter && nodesAdded) {
      nodesAdded = false;
      searchRoots();
    }
    const changed = !current || current.kind !== d.kind || current.username !== d.username || current.password !== d.password;
    current = d;
    if (changed) onDetected?.(d);
    return d;
  }

  function onInput(e: Event): void {
    const field = e.composedPath()[0] as HTMLInputElement | undefined;
    if (e.isTrusted && field?.localName === "input") typed.set(field, field.value);
  }

  function onEvent(e: Event): void {
    if (e.type === "input") return onInput(e);
    if (e.type === "keydown" && (e as KeyboardEvent).key !== "Enter") return;
    let d = current;
    // A shadow root on the event's path that the idle search has not reached yet: take it now.
    const unknown = e.composedPath().filter((n): n is ShadowRoot => (n as Node).nodeType === 11 && "host" in n && !roots.includes(n as ShadowRoot));
    if (unknown.length) roots = [...roots, ...unknown.reverse()];
    // Decide on fresh facts if the page changed since the last detection (or none has run yet).
    if (unknown.length || timer !== undefined || (d?.group && !d.group.isConnected)) d = run();
    if (!d || d.kind === "none" || !d.group || !isSubmission(e, d)) return;
    if (d.kind === "signin-username-only") {
      identifier = d.username?.value.trim() || identifier;
      return;
    }
    const field = d.password;
    const password = field?.value ?? "";
    const now = Date.now();
    // A click on a submit button is followed by the form's submit event: report once.
    if (!field || !typedByUser({ value: password, typed: typed.get(field), autofilled: isAutofilled(field) }) || now - lastSubmit < 1000) return;
    lastSubmit = now;
    onSignInSubmit({ username: d.username?.value.trim() || identifier, password, formSelector: uniqueSelector(d.group) });
  }

  // The first detection waits like the later ones: once the page has rendered, detection does not
  // force its first layout (50+ ms on a long page) and measures only its own work.
  const start = () => {
    watch(doc);
    schedule();
  };
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start, { once: true, signal: abort.signal });
  else start();

  return {
    current: () => current,
    flush: () => run(),
    idle: () => current !== null && timer === undefined && cancelSearch === null,
    stop() {
      abort.abort();
      cancelSearch?.();
      observer.disconnect();
      if (timer !== undefined) view.clearTimeout(timer);
    },
  };
}

function isSubmission(e: Event, d: Detection): boolean {
  const path = e.composedPath();
  if (e.type === "submit") return path.includes(d.group!);
  if (e.type === "keydown") {
    return [d.username, d.password].some((el) => el !== null && path.includes(el));
  }
  // Clicks: the group's submit buttons, or on form-less markup its worded buttons other than
  // show/hide toggles and "Sign in with …" SSO buttons, or a link saying "Log in" / "Next".
  const g = d.snapshot.groups[d.groupIndex!]!;
  const buttons = d.refs.buttons[d.groupIndex!]!;
  const anySubmit = g.buttons.some((b) => b.submit);
  const hit = buttons.some((b, i) => {
    const info = g.buttons[i]!;
    const primary = anySubmit ? info.submit : info.text.length >= 2 && !TOGGLE_OR_SSO.test(info.text);
    return primary && path.includes(b);
  });
  if (hit || g.form) return hit;
  const link = path.find((n): n is HTMLAnchorElement => (n as Element).localName === "a");
  const words = link?.textContent ?? "";
  return !!link && d.group!.contains(link) && words.length < 40 && (wordBits(norm(words)) & (SIGNIN | NEXT)) !== 0;
}
