/**
 * A CSS selector that matches exactly one element, for reporting (`npm run detect`) and for the
 * content script to name a form. Inside open shadow roots the convention is
 * `host-selector >>> inner-selector`: each part is unique within its own root
 * (document or shadow root), and `resolveSelector` walks the same path back.
 */

type Root = Document | ShadowRoot;

export const SHADOW_SEPARATOR = " >>> ";

export function uniqueSelector(el: Element): string {
  const parts: string[] = [];
  for (let cur: Element | null = el; cur; ) {
    const root = cur.getRootNode() as Root;
    parts.unshift(selectorIn(cur, root));
    cur = "host" in root ? root.host : null;
  }
  return parts.join(SHADOW_SEPARATOR);
}

export function resolveSelector(doc: Document, selector: string): Element | null {
  let root: Root | null = doc;
  let found: Element | null = null;
  for (const part of selector.split(SHADOW_SEPARATOR)) {
    if (!root) return null;
    const matches: NodeListOf<Element> = root.querySelectorAll(part);
    if (matches.length !== 1) return null;
    found = matches[0]!;
    root = found.shadowRoot;
  }
  return found;
}

function selectorIn(el: Element, root: Root): string {
  const unique = (sel: string) => {
    const matches = root.querySelectorAll(sel);
    return matches.length === 1 && matches[0] === el;
  };
  if (el.id && unique(`#${escape(el.id)}`)) return `#${escape(el.id)}`;
  const name = el.getAttribute("name");
  const named = name ? `${el.localName}[name="${name.replace(/["\\]/g, "\\$&")}"]` : "";
  if (named && unique(named)) return named;
  // A path of :nth-of-type steps, up to the nearest ancestor with a unique id (or the root).
  const steps: string[] = [];
  for (let cur: Element | null = el; cur; cur = cur.parentElement) {
    const id = cur !== el && cur.id ? `#${escape(cur.id)}` : "";
    steps.unshift(id && root.querySelectorAll(id).length === 1 ? id : step(cur, cur === el ? named : ""));
    if (unique(steps.join(" > "))) break;
  }
  return steps.join(" > ");
}

function step(el: Element, named: string): string {
  const base = named || el.localName;
  const siblings = (el.parentNode as ParentNode | null)?.children;
  if (!siblings) return base;
  const same = [...siblings].filter((c) => c.localName === el.localName);
  return same.length > 1 ? `${base}:nth-of-type(${same.indexOf(el) + 1})` : base;
}

function escape(ident: string): string {
  return typeof CSS !== "undefined" && CSS.escape ? CSS.escape(ident) : ident.replace(/[^\w-]/g, "\\$&");
}
