/**
 * Clickjacking (issue 11, item 11): the page can't read or relabel the prompt, but it can disguise it
 * (its host made nearly transparent or transformed, a look-alike laid over it with `pointer-events:
 * none`) so that a click the user means for the page lands on "Not now". Chrome's IntersectionObserver
 * v2 reports whether an element was really seen: unoccluded, fully opaque, untransformed, for at
 * least `delay` ms. A pointer click acts only while that holds. Browsers without it (Firefox) can't
 * tell, and get the benefit of the doubt.
 */

const DELAY_MS = 100; // the least IntersectionObserver v2 allows

type EntryV2 = IntersectionObserverEntry & { isVisible?: boolean };

export interface Seen {
  /** Whether the element was last seen whole and undisguised. */
  visible(): boolean;
  stop(): void;
}

export function watchSeen(view: Window & typeof globalThis, target: Element): Seen {
  const Observer = view.IntersectionObserver;
  const supported = typeof Observer === "function" && "isVisible" in (view.IntersectionObserverEntry?.prototype ?? {});
  if (!supported) return { visible: () => true, stop: () => undefined };
  let visible = false;
  const observer = new Observer(
    (entries) => {
      for (const entry of entries as EntryV2[]) visible = entry.isVisible === true;
    },
    { trackVisibility: true, delay: DELAY_MS } as IntersectionObserverInit,
  );
  observer.observe(target);
  return { visible: () => visible, stop: () => observer.disconnect() };
}
