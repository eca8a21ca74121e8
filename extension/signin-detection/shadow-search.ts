import { shadowRootGetter } from "./snapshot.js";

/**
 * Finds every open shadow root of a document in slices of about `sliceMs`, in idle time. No browser
 * API lists shadow roots, so an exact search visits every element: on a 10,000-element page that is
 * milliseconds, too much for the first detection. The observer detects on the document (and the
 * roots it already knows) at once, and again when this search turns up a new root.
 */
export function searchShadowRoots(doc: Document, done: (roots: ShadowRoot[]) => void, sliceMs = 1): () => void {
  const view = doc.defaultView;
  const shadowRootOf = shadowRootGetter(doc);
  const found: ShadowRoot[] = [];
  const pending: (Document | ShadowRoot)[] = [doc];
  let walker: TreeWalker | null = null;
  let cancelled = false;
  const later = (fn: () => void) =>
    view?.requestIdleCallback ? view.requestIdleCallback(fn, { timeout: 200 }) : (view ?? globalThis).setTimeout(fn, 0);

  function slice(): void {
    if (cancelled) return;
    const until = performance.now() + sliceMs;
    for (let steps = 0; ; steps++) {
      if (!walker) {
        const next = pending.shift();
        if (!next) return done(found);
        walker = doc.createTreeWalker(next, 1 /* SHOW_ELEMENT */);
      }
      const el = walker.nextNode();
      if (!el) {
        walker = null;
        continue;
      }
      const sr = shadowRootOf.call(el) as ShadowRoot | null;
      if (sr) {
        found.push(sr);
        pending.push(sr);
      }
      // Reading the clock costs more than a step: look at it every 256 elements.
      if ((steps & 255) === 255 && performance.now() > until) break;
    }
    later(slice);
  }

  later(slice);
  // A pending slice sees the flag and stops: cheaper than tracking which scheduler queued it.
  return () => {
    cancelled = true;
  };
}
