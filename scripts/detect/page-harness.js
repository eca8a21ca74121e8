// Runs inside each page loaded by `npm run detect`, bundled with the real detection code
// (extension/signin-detection) into one IIFE and injected before the page's own scripts.
// Plain JS on purpose: scripts/ is type-checked without DOM types.
import { detectSignIn, resolveSelector, uniqueSelector, watchSignIn } from "../../extension/signin-detection/index.ts";

// Pages that build their form after load do it from timers: count the short ones still pending, so the
// runner waits exactly as long as needed (capped at 1.5 s after load) instead of a fixed delay.
const pending = new Set();
const realSetTimeout = window.setTimeout.bind(window);
const realClearTimeout = window.clearTimeout.bind(window);
window.setTimeout = function (callback, delay, ...args) {
  if (Number(delay) > 1500 || typeof callback !== "function") return realSetTimeout(callback, delay, ...args);
  const id = realSetTimeout(() => {
    pending.delete(id);
    callback(...args);
  }, delay);
  pending.add(id);
  return id;
};
window.clearTimeout = (id) => {
  pending.delete(id);
  realClearTimeout(id);
};

let watch = null;
let loadedAt = 0;
let detections = 0;
document.addEventListener("DOMContentLoaded", () => {
  watch = watchSignIn(document, () => {}, () => detections++);
});
window.addEventListener("load", () => (loadedAt = performance.now()));

function check(label, found) {
  if (label === undefined) return undefined;
  return label === null ? found === null : resolveSelector(document, label) === found;
}

/** Right when the detected pair is the label's, or one of its alternatives (another sign-in form on the page). */
function fieldsOk(label, d) {
  if (!label) return { usernameOk: undefined, passwordOk: undefined };
  const hit = [label, ...(label.alternatives ?? [])].some((p) => check(p.username, d.username) && check(p.password, d.password));
  return hit ? { usernameOk: true, passwordOk: true } : { usernameOk: check(label.username, d.username), passwordOk: check(label.password, d.password) };
}

function selectorOf(el) {
  if (!el) return { selector: null, unique: true };
  const selector = uniqueSelector(el);
  return { selector, unique: resolveSelector(document, selector) === el };
}

window.__opensspr = {
  settled: () => loadedAt > 0 && pending.size === 0 && performance.now() - loadedAt > 20 && watch !== null && watch.idle(),
  /** The observer's latest detection, with selectors checked against the live page (and against labels, if given). */
  report(label) {
    const d = watch.current() ?? watch.flush();
    const username = selectorOf(d.username);
    const password = selectorOf(d.password);
    return {
      kind: d.kind,
      username: username.selector,
      password: password.selector,
      ms: Math.round(d.ms * 1000) / 1000,
      selectorsUnique: username.unique && password.unique,
      detections,
      ...fieldsOk(label, d),
    };
  },
  /** Median of repeated detections on the settled page (the steady-state cost, JIT warm). */
  warmMs(runs) {
    const times = [];
    // The roots the observer knows, as it would re-detect after a change (its idle search found them).
    const roots = [document, ...(watch.current() ?? watch.flush()).refs.shadowRoots];
    for (let i = 0; i < runs; i++) {
      times.push(detectSignIn(document, roots).ms);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  },
};
