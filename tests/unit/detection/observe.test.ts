import { afterEach, describe, expect, it, vi } from "vitest";
import { watchSignIn, type Detection, type SignInCredentials, type SignInWatch } from "../../../extension/signin-detection/index.js";
import { loadPage } from "./load-page.js";

/** watchSignIn in happy-dom: re-detection on DOM changes, and submissions with and without a <form>. */

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup) await fn();
  cleanup = [];
});

async function watch(body: string) {
  const { window, document } = await loadPage(`<!doctype html><html><head><title>Sign in</title></head><body>${body}
    <script>document.addEventListener("submit", (e) => e.preventDefault());</script></body></html>`);
  const submitted: SignInCredentials[] = [];
  const detected: Detection[] = [];
  const handle: SignInWatch = watchSignIn(document, (c) => submitted.push(c), (d) => detected.push(d), { debounceMs: 5, maxWaitMs: 20 });
  cleanup.push(async () => { handle.stop(); await window.happyDOM.close(); });
  const settle = () => window.happyDOM.waitUntilComplete();
  await settle();
  const $ = <T extends Element = HTMLInputElement>(sel: string) => document.querySelector(sel) as unknown as T;
  // happy-dom can't make trusted events: a user's typing is an input event marked as Chrome marks it.
  const userInput = (el: Element) => {
    const e = new window.Event("input", { bubbles: true, composed: true });
    Object.defineProperty(e, "isTrusted", { value: true });
    el.dispatchEvent(e as unknown as Event);
  };
  const type = (sel: string, value: string) => { $(sel).value = value; userInput($(sel)); };
  /** What a page's own script does: set the value, maybe announce it with an (untrusted) input event. */
  const scriptFill = (sel: string, value: string) => { $(sel).value = value; $(sel).dispatchEvent(new window.Event("input", { bubbles: true }) as unknown as Event); };
  const enter = (el: Element) => el.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true, composed: true }) as unknown as Event);
  return { window, document, handle, submitted, detected, settle, $, type, scriptFill, userInput, enter };
}

const LOGIN_FORM = `<form id="login"><h1>Sign in</h1>
  <input id="u" name="username" autocomplete="username"><input id="p" type="password" autocomplete="current-password">
  <button type="submit">Sign in</button></form>`;

describe("watchSignIn", () => {
  it("reports the typed credentials once when the form is submitted by its button", async () => {
    const t = await watch(LOGIN_FORM);
    expect(t.detected.at(-1)?.kind).toBe("signin");
    t.type("#u", " sam@example.org "), t.type("#p", "correct horse");
    t.$<HTMLButtonElement>("button").click(); // a click, then the form's submit event: one report
    t.$<HTMLFormElement>("#login").dispatchEvent(new t.window.Event("submit", { bubbles: true, cancelable: true }) as unknown as Event);
    expect(t.submitted).toEqual([{ username: "sam@example.org", password: "correct horse", formSelector: "#login" }]);
  });

  it("reports nothing for a password the page's script put there (login CSRF), typed first or not", async () => {
    const t = await watch(LOGIN_FORM);
    t.scriptFill("#u", "attacker"), t.scriptFill("#p", "attacker-pw");
    t.$<HTMLFormElement>("#login").dispatchEvent(new t.window.Event("submit", { bubbles: true, cancelable: true }) as unknown as Event);
    t.type("#u", "sam@example.org"), t.type("#p", "correct horse");
    t.scriptFill("#p", "attacker-pw");
    t.$<HTMLButtonElement>("button").click();
    expect(t.submitted).toEqual([]);
    // The user types again: now it is theirs.
    t.type("#p", "correct horse");
    t.$<HTMLButtonElement>("button").click();
    expect(t.submitted).toMatchObject([{ username: "sam@example.org", password: "correct horse" }]);
  });

  it("reports nothing while the password is empty", async () => {
    const t = await watch(LOGIN_FORM);
    t.type("#u", "sam");
    t.$<HTMLButtonElement>("button").click();
    expect(t.submitted).toEqual([]);
  });

  it("form-less markup: Enter in a field and the worded button submit; the show/hide toggle does not", async () => {
    const t = await watch(`<div class="card"><h2>Log in</h2>
      <div><input id="u" type="email" autocomplete="username"></div>
      <div><input id="p" type="password"><button id="show" type="button" aria-controls="p">Show</button></div>
      <button id="go" type="button">Log in</button></div>`);
    t.type("#u", "sam@example.org"), t.type("#p", "pw-1");
    t.$<HTMLButtonElement>("#show").click();
    expect(t.submitted).toEqual([]);
    t.enter(t.$("#p"));
    expect(t.submitted).toMatchObject([{ username: "sam@example.org", password: "pw-1" }]);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 5_000); // past the one-report-per-submission window
    t.$<HTMLButtonElement>("#go").click();
    vi.useRealTimers();
    expect(t.submitted).toHaveLength(2);
  });

  it("form-less markup whose only control is a link: a click on \"Log in\" submits, other links do not", async () => {
    const t = await watch(`<div class="box"><h3>My account</h3><p><input id="u" placeholder="Username"></p>
      <p><input id="p" type="password" placeholder="Password"></p>
      <a id="go" href="#">Log in</a> <a id="help" href="#">I forgot my password</a></div>`);
    t.type("#u", "lee"), t.type("#p", "pw-2");
    t.$<HTMLAnchorElement>("#help").click();
    expect(t.submitted).toEqual([]);
    t.$<HTMLAnchorElement>("#go").click();
    expect(t.submitted).toMatchObject([{ username: "lee", password: "pw-2" }]);
  });

  it("finds a form a script adds after load", async () => {
    const t = await watch(`<div id="mount">Loading…</div>`);
    expect(t.handle.current()?.kind).toBe("none");
    t.$<HTMLDivElement>("#mount").innerHTML = LOGIN_FORM;
    await t.settle();
    expect(t.detected.map((d) => d.kind)).toEqual(["none", "signin"]);
    expect(t.handle.current()?.password?.id).toBe("p");
  });

  it("identifier-first: remembers the identifier for the password step of the same page", async () => {
    const t = await watch(`<div id="step"><h1>Sign in</h1><form id="f1"><input id="id" type="email" autocomplete="username"><button>Next</button></form></div>`);
    expect(t.handle.current()?.kind).toBe("signin-username-only");
    t.type("#id", "kim@example.org");
    t.$<HTMLButtonElement>("#f1 button").click();
    t.$<HTMLDivElement>("#step").innerHTML = `<h1>Enter password</h1><form id="f2"><input id="pw" type="password" autocomplete="current-password"><button>Sign in</button></form>`;
    await t.settle();
    t.type("#pw", "s3cret");
    t.$<HTMLButtonElement>("#f2 button").click();
    expect(t.submitted).toEqual([{ username: "kim@example.org", password: "s3cret", formSelector: "#f2" }]);
    expect(t.submitted).toHaveLength(1);
  });

  it("works inside an open shadow root", async () => {
    const t = await watch(`<login-box></login-box><script>
      customElements.define("login-box", class extends HTMLElement { constructor() { super();
        this.attachShadow({ mode: "open" }).innerHTML = '<form><input id="u" autocomplete="username"><input id="p" type="password"><button>Log in</button></form>'; } });
    </script>`);
    const root = t.$("login-box").shadowRoot!;
    (root.querySelector("#u") as HTMLInputElement).value = "ana";
    (root.querySelector("#p") as HTMLInputElement).value = "pw";
    t.userInput(root.querySelector("#p")!);
    t.enter(root.querySelector("#p")!);
    expect(t.submitted).toEqual([{ username: "ana", password: "pw", formSelector: "login-box >>> form" }]);
  });

  it("finds a form in a nested shadow root by its idle-time search, without any event", async () => {
    const t = await watch(`<outer-box></outer-box><script>
      customElements.define("inner-box", class extends HTMLElement { constructor() { super();
        this.attachShadow({ mode: "open" }).innerHTML = '<form><input id="u" autocomplete="username"><input id="p" type="password"><button>Log in</button></form>'; } });
      customElements.define("outer-box", class extends HTMLElement { constructor() { super();
        this.attachShadow({ mode: "open" }).innerHTML = '<section><inner-box></inner-box></section>'; } });
    </script>`);
    const deadline = Date.now() + 2000;
    while (!t.handle.idle() && Date.now() < deadline) await new Promise((r) => t.window.setTimeout(r, 10));
    expect(t.handle.idle()).toBe(true);
    expect(t.handle.current()?.kind).toBe("signin");
    expect(t.handle.current()?.refs.shadowRoots).toHaveLength(2);
  });

  it("finishes its shadow-root search on a big page whose script keeps changing a class (an animation)", async () => {
    const t = await watch("<div><span>x</span></div>".repeat(10_000));
    const host = t.document.createElement("login-box");
    host.attachShadow({ mode: "open" }).innerHTML = '<form><input id="u" autocomplete="username"><input id="p" type="password"><button>Log in</button></form>';
    t.document.body.append(host);
    const pulse = t.window.setInterval(() => t.document.body.classList.toggle("pulse"), 5);
    // About 1 s on a quiet machine; the margin is for a loaded one.
    const deadline = Date.now() + 8000;
    while (t.handle.current()?.kind !== "signin" && Date.now() < deadline) await new Promise((r) => t.window.setTimeout(r, 20));
    t.window.clearInterval(pulse);
    // Restarted from the top at every class change, the walk never reached the form's shadow root.
    expect(t.handle.current()?.kind).toBe("signin");
  }, 12_000);

  it("honours data-form-type=\"other\" and stops when asked", async () => {
    const t = await watch(`<form data-form-type="other"><input id="u"><input id="p" type="password"><button>Log in</button></form>`);
    expect(t.handle.current()?.kind).toBe("none");
    t.handle.stop();
    t.$<HTMLFormElement>("form").removeAttribute("data-form-type");
    await t.settle();
    expect(t.detected).toHaveLength(1);
  });
});
