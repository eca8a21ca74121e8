import { fieldKind, IDENTIFIER_KINDS, PASSWORD_KINDS } from "./fields.js";
import { norm, RESET, wordBits } from "./lexicon.js";
import type { ButtonSnapshot, FieldSnapshot, GroupSnapshot, PageSnapshot, SnapshotRefs } from "./types.js";

/**
 * The only code in detection that reads the DOM. It records facts (attributes, nearby words,
 * visibility) and leaves every judgement to `classify`. It never reads a field's value.
 */

export type Root = Document | ShadowRoot;
type FieldElement = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const SKIPPED_TYPES = new Set(["checkbox", "radio", "submit", "button", "reset", "image", "file", "range", "color"]);
const BUTTONS = "button,input[type=submit],input[type=button],input[type=image],[role=button]";
const HEADINGS = "h1,h2,h3,h4,legend,[role=heading]";
/** Password managers' opt-outs; sites use them on fields that only look like credentials. */
const OPT_OUT = '[data-1p-ignore]:not([data-1p-ignore="false"]),[data-lpignore="true"],[data-bwignore]:not([data-bwignore="false"]),[data-form-type="other"]';
const TOGGLE = /^(show|hide|toggle|clear|anzeigen|ausblenden|afficher|masquer|mostrar|ocultar|mostra|nascondi|tonen|verbergen|exibir|pokaz|ukryj|visa|dolj)\b/i;
/** A form with more than 8 of these wraps a whole page (ASP.NET WebForms): its fields are grouped like form-less ones. */
const PAGE_FORM_FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=checkbox]):not([type=radio]),select,textarea";
const MAX_BUTTONS = 40;

/**
 * Reads the fields of `doc` and of the given open shadow roots inside it (all of them by default).
 *
 * Only groups holding a field that could be a username or a password are described: `classify`
 * scores a group only through such a field (scoreSignIn needs a password kind, scoreUsernameOnly an
 * identifier kind), so leaving the others out changes no decision, and spares the costly reads
 * (visibility, headings, buttons, text) on pages full of other inputs: a data grid, a comment box.
 * A page without any candidate costs one attribute pass over its inputs.
 */
export function takeSnapshot(doc: Document, roots: Root[] = openRoots(doc)): { snapshot: PageSnapshot; refs: SnapshotRefs } {
  const refs: SnapshotRefs = { fields: [], groups: [], buttons: [], shadowRoots: roots.slice(1) as ShadowRoot[] };
  const snapshot: PageSnapshot = { title: doc.title, fields: [], groups: [] };
  // Selects and textareas are never candidates (fieldKind gives them their tag): a page's inputs alone
  // say whether there is anything to describe, and most pages have none that could be a credential.
  const inputsByRoot = roots.map(inputsIn);
  const inputs = inputsByRoot.flat();
  if (inputs.length === 0) return { snapshot, refs };
  const labels = labelsByControl(roots);
  const facts = new Map<FieldElement, FieldFacts>();
  const factsFor = (el: FieldElement) => {
    let f = facts.get(el);
    if (!f) facts.set(el, (f = factsOf(el, labels)));
    return f;
  };
  const pageWide = new Map<HTMLFormElement, boolean>();
  const containerOf = new Map<FieldElement, Element>();
  const candidateGroups = new Set<Element>();
  for (const el of inputs) {
    const kind = fieldKind({ ...factsFor(el), group: -1, visible: true, disabled: false, readOnly: false, tabIndex: 0, ignored: false });
    if (!PASSWORD_KINDS.has(kind) && !IDENTIFIER_KINDS.has(kind)) continue;
    const container = groupOf(el, pageWide);
    containerOf.set(el, container);
    candidateGroups.add(container);
  }
  if (candidateGroups.size === 0) return { snapshot, refs };
  const fieldEls = roots.flatMap((root, r) => withOtherFields(root, inputsByRoot[r]!));

  const view = doc.defaultView;
  // happy-dom and other layout-less DOMs report zero-sized boxes; then only styles and attributes count.
  const layout = doc.documentElement.getBoundingClientRect().width > 0;
  const groupIndex = new Map<Element, number>();
  const candidates = [...candidateGroups];
  for (const el of fieldEls) {
    // groupOf returns the field's form or one of its ancestors: a field neither in a candidate form nor
    // inside a candidate container cannot belong to one.
    let container = containerOf.get(el);
    if (!container && (candidateGroups.has(el.form as Element) || candidates.some((c) => c.contains(el)))) container = groupOf(el, pageWide);
    if (!container || !candidateGroups.has(container)) continue;
    let group = groupIndex.get(container);
    if (group === undefined) {
      group = snapshot.groups.length;
      groupIndex.set(container, group);
      const buttons = visibleButtons(container, view, layout);
      snapshot.groups.push(describeGroup(container, buttons));
      refs.groups.push(container);
      refs.buttons.push(buttons);
    }
    snapshot.fields.push(describeField(el, factsFor(el), group, view, layout));
    refs.fields.push(el);
  }
  return { snapshot, refs };
}

/**
 * The document and every open shadow root inside it, depth first. It visits every element: the
 * costly part on large pages, which `detectSignIn` skips when the page's own DOM is clear enough.
 * A TreeWalker and the `shadowRoot` getter called directly: on a freshly loaded page (code not yet
 * optimised, no element seen from script yet) about a third cheaper than indexing a live collection
 * and reading `el.shadowRoot` across a dozen element classes.
 */
export function openRoots(doc: Document): Root[] {
  const roots: Root[] = [doc];
  const shadowRootOf = shadowRootGetter(doc);
  for (let r = 0; r < roots.length; r++) {
    const walker = doc.createTreeWalker(roots[r]!, 1 /* SHOW_ELEMENT */);
    for (let el = walker.nextNode(); el; el = walker.nextNode()) {
      const sr = shadowRootOf.call(el) as ShadowRoot | null;
      if (sr) roots.push(sr);
    }
  }
  return roots;
}

/** The `shadowRoot` accessor of the document's own Element class, found up the prototype chain. */
export function shadowRootGetter(doc: Document): () => ShadowRoot | null {
  let proto = Object.getPrototypeOf(doc.documentElement);
  while (!Object.getOwnPropertyDescriptor(proto, "shadowRoot")) proto = Object.getPrototypeOf(proto);
  return Object.getOwnPropertyDescriptor(proto, "shadowRoot")!.get!;
}

/** Inputs other than buttons, checkboxes and the like, in document order. */
function inputsIn(root: Root): HTMLInputElement[] {
  // A per-tag live collection is much cheaper than a selector query over a large document.
  const all = "getElementsByTagName" in root ? root.getElementsByTagName("input") : root.querySelectorAll("input");
  const inputs: HTMLInputElement[] = [];
  for (let i = 0; i < all.length; i++) if (!SKIPPED_TYPES.has(all[i]!.type)) inputs.push(all[i]!);
  return inputs;
}

/** The root's fields: its `inputs` with its selects and textareas, in document order. */
function withOtherFields(root: Root, inputs: HTMLInputElement[]): FieldElement[] {
  const els: FieldElement[] = [...inputs];
  const add = (list: ArrayLike<FieldElement>) => {
    for (let i = 0; i < list.length; i++) els.push(list[i]!);
  };
  if ("getElementsByTagName" in root) {
    add(root.getElementsByTagName("select"));
    add(root.getElementsByTagName("textarea"));
  } else add(root.querySelectorAll<HTMLSelectElement | HTMLTextAreaElement>("select,textarea"));
  if (els.length > inputs.length) els.sort((a, b) => (a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1));
  return els;
}

function visibleButtons(container: Element, view: Window | null, layout: boolean): HTMLElement[] {
  const all = container.querySelectorAll<HTMLElement>(BUTTONS);
  const visible: HTMLElement[] = [];
  // A body-level group on a long page can hold hundreds of buttons; the first ones say enough.
  for (let i = 0; i < all.length && visible.length < MAX_BUTTONS; i++) if (isVisible(all[i]!, view, layout)) visible.push(all[i]!);
  return visible;
}

function groupOf(el: FieldElement, pageWide: Map<HTMLFormElement, boolean>): Element {
  const form = el.form;
  if (form) {
    let wide = pageWide.get(form);
    if (wide === undefined) pageWide.set(form, (wide = form.querySelectorAll(PAGE_FORM_FIELDS).length > 8));
    if (!wide) return form;
  }
  // Form-less (or page-wide form): the nearest ancestor holding a button with words, or a submit input.
  let last: Element = el;
  for (let cur = el.parentElement, depth = 0; cur && depth < 10; cur = cur.parentElement, depth++) {
    if (cur === form) return cur;
    if (hasRealButton(cur)) return withIdentifier(el, cur, form);
    last = cur;
  }
  // No button at all (apps whose buttons are plain divs): the nearest ancestor holding another field,
  // so a username and its password, nested to different depths, still land in one group.
  for (let cur = el.parentElement, depth = 0; cur && depth < 10; cur = cur.parentElement, depth++) {
    if (cur === form || cur.querySelectorAll(PAGE_FORM_FIELDS).length > 1) return cur;
  }
  return last;
}

const IDENTIFIER_INPUTS = "input[type=text],input[type=email],input[type=tel],input:not([type])";

/**
 * A password whose nearest worded button shares only its own wrapper (real pages put "Sign in" right
 * under the password): the group is the nearest of a few more ancestors that also holds a username.
 */
function withIdentifier(el: FieldElement, group: Element, form: HTMLFormElement | null): Element {
  if ((el as HTMLInputElement).type !== "password" || group.querySelector(IDENTIFIER_INPUTS)) return group;
  for (let cur = group.parentElement, depth = 0; cur && depth < 3 && cur !== form; cur = cur.parentElement, depth++) {
    if (cur.querySelector(IDENTIFIER_INPUTS)) return cur;
  }
  return group;
}

function hasRealButton(container: Element): boolean {
  const all = container.querySelectorAll<HTMLElement>(BUTTONS);
  for (let i = 0; i < all.length && i < MAX_BUTTONS; i++) {
    const b = all[i]!;
    if (b.localName === "input" && /^(submit|image)$/.test((b as HTMLInputElement).type)) return true;
    const text = buttonText(b);
    // A "Forgot password?" button beside one field (real pages put it on the password's label row)
    // submits nothing: taken for the group's button, it split the password from its username.
    if (text.length >= 2 && !TOGGLE.test(text) && !b.hasAttribute("aria-controls") && !(wordBits(norm(text)) & RESET)) return true;
  }
  return false;
}

function buttonText(b: HTMLElement): string {
  const text = b.localName === "input" ? (b as HTMLInputElement).value || (b.getAttribute("alt") ?? "") : (b.textContent ?? "");
  return squash(text || b.getAttribute("aria-label") || b.getAttribute("title") || "", 80);
}

function describeGroup(el: Element, buttons: HTMLElement[]): GroupSnapshot {
  const isForm = el.localName === "form";
  const attrs = ["action", "id", "name", "class", "aria-label", "data-form-type", "role"].map((a) => el.getAttribute(a) ?? "");
  const top = el.localName === "body" || el.localName === "html";
  return {
    form: isForm,
    attrs: attrs.join(" ").slice(0, 300),
    heading: headingFor(el),
    buttons: buttons.map((b): ButtonSnapshot => ({ text: buttonText(b), submit: isSubmit(b) })),
    // A body-level group's text is the whole page: too slow to read and says nothing about the group.
    text: top ? "" : squash(leadingText(el, 3000), 600),
    ignored: el.closest(OPT_OUT) !== null,
  };
}

function isSubmit(b: HTMLElement): boolean {
  if (b.localName === "input") return /^(submit|image)$/.test((b as HTMLInputElement).type);
  return b.localName === "button" && (b.getAttribute("type") ?? "submit").toLowerCase() === "submit" && (b as HTMLButtonElement).form !== null;
}

/** The group's own first heading, else the nearest heading before it in document order (a bounded walk back). */
function headingFor(el: Element): string {
  const dialog = el.closest("dialog,[role=dialog],[aria-modal=true]");
  const dialogLabel = dialog ? (dialog.getAttribute("aria-label") ?? labelledBy(dialog)) : "";
  let heading = el.querySelector(HEADINGS);
  if (!heading) {
    const walker = el.ownerDocument.createTreeWalker(el.getRootNode(), 1 /* SHOW_ELEMENT */);
    walker.currentNode = el;
    for (let steps = 0; steps < 150 && walker.previousNode(); steps++) {
      const node = walker.currentNode as Element;
      if (/^(h[1-4]|legend)$/.test(node.localName) || node.getAttribute("role") === "heading") {
        if (!node.contains(el)) heading = node;
        break;
      }
    }
  }
  return squash(`${dialogLabel} ${heading?.textContent ?? ""}`, 200);
}

type FieldFacts = Omit<FieldSnapshot, "group" | "visible" | "disabled" | "readOnly" | "tabIndex" | "ignored">;

/** What `fieldKind` reads: attributes and nearby words, no layout. */
function factsOf(el: FieldElement, labels: Map<Element, string>): FieldFacts {
  const input = el.localName === "input" ? (el as HTMLInputElement) : null;
  const maxLength = input ? input.maxLength : -1;
  return {
    tag: el.localName as FieldSnapshot["tag"],
    type: input ? input.type.toLowerCase() : el.localName,
    name: el.getAttribute("name") ?? "",
    id: el.id,
    autocomplete: (el.getAttribute("autocomplete") ?? "").toLowerCase(),
    placeholder: el.getAttribute("placeholder") ?? "",
    ariaLabel: el.getAttribute("aria-label") ?? "",
    label: labelFor(el, labels),
    maxLength: maxLength > 0 && maxLength < 524288 ? maxLength : -1,
    inputMode: (el.getAttribute("inputmode") ?? "").toLowerCase(),
  };
}

function describeField(el: FieldElement, facts: FieldFacts, group: number, view: Window | null, layout: boolean): FieldSnapshot {
  const input = el.localName === "input" ? (el as HTMLInputElement) : null;
  return {
    ...facts,
    group,
    visible: input?.type === "hidden" ? false : isVisible(el, view, layout),
    disabled: el.disabled,
    readOnly: input ? input.readOnly : false,
    tabIndex: el.tabIndex,
    ignored: el.closest(OPT_OUT) !== null,
  };
}

/**
 * Each labelled control's `labels` text, from one pass over each root's <label>s: `el.labels` per
 * field searches its whole tree every time, which on a grid of inputs cost milliseconds.
 */
function labelsByControl(roots: Root[]): Map<Element, string> {
  const texts = new Map<Element, string>();
  for (const root of roots) {
    const all = root.querySelectorAll("label");
    for (let i = 0; i < all.length; i++) {
      const control = all[i]!.control;
      if (control) texts.set(control, texts.has(control) ? `${texts.get(control)} ${all[i]!.textContent ?? ""}` : (all[i]!.textContent ?? ""));
    }
  }
  return texts;
}

function labelFor(el: FieldElement, labels: Map<Element, string>): string {
  let text = labels.get(el) ?? "";
  text += ` ${labelledBy(el)}`;
  if (!text.trim()) {
    // Label-less markup such as <div>Email</div><div><input></div>: the short text just before the field.
    for (let cur: Element | null = el, depth = 0; cur && depth < 3 && !text.trim(); cur = cur.parentElement, depth++) {
      const prev = cur.previousElementSibling;
      if (prev && !prev.querySelector("input,select,textarea")) text = leadingText(prev, 80);
    }
  }
  return squash(text, 120);
}

/**
 * `textContent.slice(0, max)` without building the whole string: the element before a field can be
 * a long article or comment thread.
 */
function leadingText(el: Element, max: number): string {
  const walker = el.ownerDocument.createTreeWalker(el, 4 /* SHOW_TEXT */);
  let text = "";
  while (text.length < max && walker.nextNode()) text += (walker.currentNode as Text).data;
  return text.slice(0, max);
}

function labelledBy(el: Element): string {
  const ids = el.getAttribute("aria-labelledby");
  if (!ids) return "";
  const root = el.getRootNode() as Root;
  return ids.split(/\s+/).map((id) => root.getElementById?.(id)?.textContent ?? "").join(" ");
}

function isVisible(el: Element, view: Window | null, layout: boolean): boolean {
  if (el.closest("[hidden],[aria-hidden=true],[inert]")) return false;
  if (typeof el.checkVisibility === "function") {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
  }
  if (layout) {
    const r = el.getBoundingClientRect();
    const scrollX = view?.scrollX ?? 0;
    const scrollY = view?.scrollY ?? 0;
    // Honeypots: 1-px boxes, or boxes pushed off the left/top edge of the page.
    return r.width >= 4 && r.height >= 4 && r.right + scrollX > 0 && r.bottom + scrollY > 0;
  }
  // Without layout, catch the usual honeypot styles (off-screen position, display/visibility) by computed style.
  for (let cur: Element | null = el, depth = 0; cur && view && depth < 4; cur = cur.parentElement, depth++) {
    const cs = view.getComputedStyle(cur);
    if (cs.display === "none" || cs.visibility === "hidden") return false;
    if ((cs.position === "absolute" || cs.position === "fixed") && (parseFloat(cs.left) < -500 || parseFloat(cs.top) < -500)) return false;
  }
  return true;
}

function squash(text: string, max: number): string {
  return text.replace(/\s+/g, " ").trim().slice(0, max);
}
