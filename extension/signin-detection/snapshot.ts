import type { ButtonSnapshot, FieldSnapshot, GroupSnapshot, PageSnapshot, SnapshotRefs } from "./types.js";

/**
 * The only code in detection that reads the DOM. It records facts (attributes, nearby words,
 * visibility) and leaves every judgement to `classify`. It never reads a field's value.
 */

type Root = Document | ShadowRoot;
type FieldElement = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const SKIPPED_TYPES = new Set(["checkbox", "radio", "submit", "button", "reset", "image", "file", "range", "color"]);
const BUTTONS = "button,input[type=submit],input[type=button],input[type=image],[role=button]";
const HEADINGS = "h1,h2,h3,h4,legend,[role=heading]";
/** Password managers' opt-outs; sites use them on fields that only look like credentials. */
const OPT_OUT = '[data-1p-ignore]:not([data-1p-ignore="false"]),[data-lpignore="true"],[data-bwignore]:not([data-bwignore="false"]),[data-form-type="other"]';
const TOGGLE = /^(show|hide|toggle|clear|anzeigen|ausblenden|afficher|masquer|mostrar|ocultar|mostra|nascondi|tonen|verbergen|exibir|pokaz|ukryj|visa|dolj)\b/i;
/** Forms this large wrap a whole page (ASP.NET WebForms): group their fields like form-less ones. */
const PAGE_FORM_FIELDS = 10;

export function takeSnapshot(doc: Document): { snapshot: PageSnapshot; refs: SnapshotRefs } {
  const view = doc.defaultView;
  // happy-dom and other layout-less DOMs report zero-sized boxes; then only styles and attributes count.
  const layout = doc.documentElement.getBoundingClientRect().width > 0;
  const roots = openRoots(doc);
  const fieldEls: FieldElement[] = [];
  for (const root of roots) {
    for (const el of root.querySelectorAll<FieldElement>("input,select,textarea")) {
      if (el.localName !== "input" || !SKIPPED_TYPES.has((el as HTMLInputElement).type)) fieldEls.push(el);
    }
  }

  const groupIndex = new Map<Element, number>();
  const groups: GroupSnapshot[] = [];
  const refs: SnapshotRefs = { fields: [], groups: [], buttons: [], shadowRoots: roots.slice(1) as ShadowRoot[] };
  const fields: FieldSnapshot[] = [];
  for (const el of fieldEls) {
    const container = groupOf(el);
    let group = groupIndex.get(container);
    if (group === undefined) {
      group = groups.length;
      groupIndex.set(container, group);
      const buttons = [...container.querySelectorAll<HTMLElement>(BUTTONS)].filter((b) => isVisible(b, view, layout));
      groups.push(describeGroup(container, buttons));
      refs.groups.push(container);
      refs.buttons.push(buttons);
    }
    fields.push(describeField(el, group, view, layout));
    refs.fields.push(el);
  }
  return { snapshot: { title: doc.title, fields, groups }, refs };
}

/** The document and every open shadow root inside it, depth first. */
function openRoots(doc: Document): Root[] {
  const roots: Root[] = [doc];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i]!.querySelectorAll("*")) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  return roots;
}

function groupOf(el: FieldElement): Element {
  const form = el.form;
  if (form && form.elements.length <= PAGE_FORM_FIELDS) return form;
  // Form-less (or page-wide form): the nearest ancestor holding a button with words, or a submit input.
  let last: Element = el;
  for (let cur = el.parentElement, depth = 0; cur && depth < 10 && cur !== form; cur = cur.parentElement, depth++) {
    if (hasRealButton(cur)) return cur;
    last = cur;
  }
  return last;
}

function hasRealButton(container: Element): boolean {
  for (const b of container.querySelectorAll<HTMLElement>(BUTTONS)) {
    if (b.localName === "input" && /^(submit|image)$/.test((b as HTMLInputElement).type)) return true;
    const text = buttonText(b);
    if (text.length >= 2 && !TOGGLE.test(text) && !b.hasAttribute("aria-controls")) return true;
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
    text: top ? "" : squash((el.textContent ?? "").slice(0, 3000), 600),
    ignored: el.closest(OPT_OUT) !== null,
  };
}

function isSubmit(b: HTMLElement): boolean {
  if (b.localName === "input") return /^(submit|image)$/.test((b as HTMLInputElement).type);
  return b.localName === "button" && (b.getAttribute("type") ?? "submit").toLowerCase() === "submit" && (b as HTMLButtonElement).form !== null;
}

/** The heading inside the group, else the nearest one before it, looking up a few ancestors. */
function headingFor(el: Element): string {
  const dialog = el.closest("dialog,[role=dialog],[aria-modal=true]");
  const dialogLabel = dialog ? (dialog.getAttribute("aria-label") ?? labelledBy(dialog)) : "";
  let found = "";
  for (let cur: Element | null = el, depth = 0; cur && depth < 6 && !found; cur = cur.parentElement, depth++) {
    let before: Element | undefined;
    for (const h of cur.querySelectorAll(HEADINGS)) {
      if (el.contains(h)) { before = h; break; }
      if (h.compareDocumentPosition(el) & 4 /* FOLLOWING */) before = h;
      else break;
    }
    if (before) found = before.textContent ?? "";
  }
  return squash(`${dialogLabel} ${found}`, 200);
}

function describeField(el: FieldElement, group: number, view: Window | null, layout: boolean): FieldSnapshot {
  const input = el.localName === "input" ? (el as HTMLInputElement) : null;
  const maxLength = input ? input.maxLength : -1;
  return {
    group,
    tag: el.localName as FieldSnapshot["tag"],
    type: input ? input.type.toLowerCase() : el.localName,
    name: el.getAttribute("name") ?? "",
    id: el.id,
    autocomplete: (el.getAttribute("autocomplete") ?? "").toLowerCase(),
    placeholder: el.getAttribute("placeholder") ?? "",
    ariaLabel: el.getAttribute("aria-label") ?? "",
    label: labelFor(el),
    maxLength: maxLength > 0 && maxLength < 524288 ? maxLength : -1,
    inputMode: (el.getAttribute("inputmode") ?? "").toLowerCase(),
    visible: input?.type === "hidden" ? false : isVisible(el, view, layout),
    disabled: el.disabled,
    readOnly: input ? input.readOnly : false,
    tabIndex: el.tabIndex,
    ignored: el.closest(OPT_OUT) !== null,
  };
}

function labelFor(el: FieldElement): string {
  let text = [...(el.labels ?? [])].map((l) => l.textContent ?? "").join(" ");
  text += ` ${labelledBy(el)}`;
  if (!text.trim()) {
    // Label-less markup such as <div>Email</div><div><input></div>: the short text just before the field.
    for (let cur: Element | null = el, depth = 0; cur && depth < 3 && !text.trim(); cur = cur.parentElement, depth++) {
      const prev = cur.previousElementSibling;
      if (prev && !prev.querySelector("input,select,textarea")) text = (prev.textContent ?? "").slice(0, 80);
    }
  }
  return squash(text, 120);
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
