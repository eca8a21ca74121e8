import { html, raw } from "hono/html";
import { contentSecurityPolicy, cspHash } from "../middleware/security-headers.js";

// The page's only style and script, kept apart so the CSP can allow exactly these by hash.
const STYLE = `
  :root { color-scheme: light dark; --bg: #f4f5f7; --card: #fff; --text: #1d2330; --muted: #5b6472; --accent: #1f5fbf; --border: #c9ced6; --error: #b3261e; }
  @media (prefers-color-scheme: dark) { :root { --bg: #15181d; --card: #1f242b; --text: #e8eaed; --muted: #a7afba; --accent: #7fb0ff; --border: #3b424c; --error: #ffb4ab; } }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--text);
    font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { width: min(400px, 92vw); background: var(--card); border: 1px solid var(--border); border-radius: 12px; padding: 32px; }
  h1 { font-size: 22px; margin: 0 0 4px; } p.sub { margin: 0 0 24px; color: var(--muted); }
  label { display: block; font-weight: 600; margin: 16px 0 6px; }
  input { width: 100%; font: inherit; padding: 10px 12px; border: 1px solid var(--border); border-radius: 8px; background: transparent; color: inherit; }
  input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  button { margin-top: 24px; width: 100%; font: inherit; font-weight: 600; padding: 10px; border: 0; border-radius: 8px; background: var(--accent); color: var(--card); cursor: pointer; }
  #result { margin-top: 16px; min-height: 1.5em; } #result.error { color: var(--error); }
  .help { margin-top: 24px; font-size: 14px; color: var(--muted); }
  .help a { color: var(--accent); font-weight: 600; }
  a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
`;

const SCRIPT = `
  const form = document.getElementById("signin");
  const result = document.getElementById("result");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.className = "";
    result.textContent = "Signing in…";
    const body = JSON.stringify({ username: form.username.value, password: form.password.value });
    const response = await fetch("/v1/sessions", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    const data = await response.json();
    if (response.ok) {
      result.textContent = "Signed in as " + data.user.displayName + ".";
      form.password.value = "";
    } else {
      result.className = "error";
      result.textContent = data.error.message;
    }
  });
`;

let policy: Promise<string> | undefined;
/** The page's Content-Security-Policy: its own inline style and script, nothing else. */
export const loginPagePolicy = (): Promise<string> =>
  (policy ??= Promise.all([cspHash(STYLE), cspHash(SCRIPT)]).then(([style, script]) =>
    contentSecurityPolicy({ styleHashes: [style], scriptHashes: [script] }),
  ));

/**
 * A sample organisation sign-in page (development only). It signs in through POST /v1/sessions like any
 * app of the organisation would, and is where the extension's sign-in detection and prompt are tried.
 */
export const loginPage = (orgName: string) => html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · ${orgName}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<main>
  <h1>${orgName}</h1>
  <p class="sub">Sign in to your work account</p>
  <form id="signin" method="post" action="#">
    <label for="username">Username</label>
    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
  </form>
  <p id="result" role="status" aria-live="polite"></p>
  <p class="help"><a href="/reset">Forgot your password?</a> Or use the OpenSSPR button in your browser's toolbar.</p>
</main>
<script>${raw(SCRIPT)}</script>
</body>
</html>`;
