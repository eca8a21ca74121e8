import { describe, expect, it } from "vitest";
import { watchSeen } from "../../../extension/prompt/seen-by-user.js";

type Callback = (entries: { isVisible: boolean }[]) => void;

/** A window whose IntersectionObserver is v2 (Chrome's): the test says what it reports. */
function chromeLike() {
  let report: Callback = () => undefined;
  let options: unknown;
  class Observer {
    constructor(cb: Callback, init: unknown) {
      report = cb;
      options = init;
    }
    observe() {}
    disconnect() {}
  }
  class Entry {
    get isVisible() {
      return false;
    }
  }
  const view = { IntersectionObserver: Observer, IntersectionObserverEntry: Entry } as unknown as Window & typeof globalThis;
  return { view, report: (isVisible: boolean) => report([{ isVisible }]), options: () => options };
}

describe("watchSeen (clickjacking)", () => {
  it("holds a pointer click back until the browser vouches the prompt was seen undisguised", () => {
    const chrome = chromeLike();
    const seen = watchSeen(chrome.view, document.createElement("section"));
    expect(chrome.options()).toMatchObject({ trackVisibility: true, delay: 100 });
    expect(seen.visible()).toBe(false);
    chrome.report(true);
    expect(seen.visible()).toBe(true);
    // The page made it nearly transparent, or laid something over it.
    chrome.report(false);
    expect(seen.visible()).toBe(false);
  });

  it("gives the benefit of the doubt where the browser can't tell (no IntersectionObserver v2)", () => {
    const seen = watchSeen({ IntersectionObserver: class {}, IntersectionObserverEntry: class {} } as unknown as Window & typeof globalThis, document.createElement("section"));
    expect(seen.visible()).toBe(true);
  });
});
