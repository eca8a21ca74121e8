import type { CDPSession, Page } from "playwright-core";

/**
 * The extension's in-page prompt as a user meets it. Its shadow root is closed, so neither the page's
 * scripts nor Playwright's locators (which pierce open roots only) see inside; DevTools does. The
 * test reads the prompt through the DevTools protocol, as an inspector would, and acts on it only as
 * a user can: a real mouse click at a button's place on screen, or keys.
 */

interface DomNode {
  nodeName: string;
  backendNodeId: number;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

interface Seen {
  title: string;
  text: string;
  buttons: string[];
  /** The focused control's label, "card" for the dialog itself, null if focus is outside the prompt. */
  focused: string | null;
}

/** Past the prompt's fade-in and Chrome's 100 ms visibility delay (extension/prompt/seen-by-user.ts). */
const SEEN_MS = 400;

const label = (b: Element) => b.getAttribute("aria-label") ?? b.textContent ?? "";

function findHost(node: DomNode): DomNode | null {
  if (node.nodeName === "OPENSSPR-PROMPT") return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findHost(child);
    if (found) return found;
  }
  return null;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class InPagePrompt {
  private cdp: Promise<CDPSession>;

  constructor(readonly page: Page) {
    this.cdp = page.context().newCDPSession(page);
  }

  /** Runs `fn` on the closed root in the page's main world; null when there is no prompt. */
  private async onRoot<T>(fn: (root: ShadowRoot, arg: string) => T, arg = ""): Promise<T | null> {
    const cdp = await this.cdp;
    const { root } = (await cdp.send("DOM.getDocument", { depth: -1, pierce: true })) as { root: DomNode };
    const shadow = findHost(root)?.shadowRoots?.[0];
    if (!shadow) return null;
    const { object } = await cdp.send("DOM.resolveNode", { backendNodeId: shadow.backendNodeId });
    const res = await cdp.send("Runtime.callFunctionOn", {
      objectId: object.objectId!,
      functionDeclaration: `function (arg) { const label = ${label.toString()}; return (${fn.toString()})(this, arg); }`,
      arguments: [{ value: arg }],
      returnByValue: true,
    });
    if (res.exceptionDetails) throw new Error(`reading the prompt failed: ${res.exceptionDetails.text}`);
    return res.result.value as T;
  }

  /** What the prompt shows right now, or null without one. */
  seen(): Promise<Seen | null> {
    return this.onRoot((root) => {
      const card = root.querySelector("[role=dialog]");
      if (!card) return null;
      const active = root.activeElement;
      return {
        title: root.querySelector("h2")?.textContent ?? "",
        text: card.textContent ?? "",
        buttons: [...root.querySelectorAll("button")].map(label),
        focused: !active ? null : active === card ? "card" : label(active),
      };
    });
  }

  /** Waits until the prompt is up and `ready` holds for what it shows. */
  async waitFor(ready: (s: Seen) => boolean = () => true, timeout = 10_000): Promise<Seen> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const s = await this.seen();
      if (s && ready(s)) return s;
      if (Date.now() > deadline) throw new Error(`the prompt did not show what was expected; it shows: ${JSON.stringify(s)}`);
      await this.page.waitForTimeout(100);
    }
  }

  waitForText(text: string, timeout?: number): Promise<Seen> {
    return this.waitFor((s) => s.text.includes(text), timeout);
  }

  /**
   * A real click in the middle of the button with this label (its text or aria-label), once the
   * prompt has been on screen long enough for the browser to vouch that the user could see it.
   */
  async click(name: string): Promise<void> {
    await this.page.waitForTimeout(SEEN_MS);
    const box = await this.onRoot((root, wanted) => {
      const b = [...root.querySelectorAll("button")].find((x) => label(x) === wanted);
      if (!b) return null;
      const r = b.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, name);
    if (!box) throw new Error(`the prompt has no button "${name}"`);
    await this.page.mouse.click(box.x, box.y);
  }

  /** Where the card and each of its buttons are on screen (the card's box clips what it does not show). */
  async layout(): Promise<{ card: Box; buttons: Record<string, Box> } | null> {
    return this.onRoot((root) => {
      const card = root.querySelector("[role=dialog]");
      if (!card) return null;
      const box = (e: Element) => {
        const r = e.getBoundingClientRect();
        return { x: r.left, y: r.top, width: r.width, height: r.height };
      };
      return { card: box(card), buttons: Object.fromEntries([...root.querySelectorAll("button")].map((b) => [label(b), box(b)])) };
    });
  }

  /** Waits until the prompt has gone from the page. */
  gone(): Promise<void> {
    return this.page.locator("opensspr-prompt").waitFor({ state: "detached" });
  }
}
