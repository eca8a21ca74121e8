/**
 * Everything the prompt looks like, inside its shadow root: the page's CSS can't reach in and this
 * can't leak out (spec §10). Same palette, type and focus rings as the extension pages (ui/theme.css).
 */
export const PROMPT_CSS = `
:host { all: initial; }
.card {
  --bg: #fff; --text: #1f2328; --muted: #4f5862; --border: #6e7781; --surface: #f4f6f8;
  --primary: #0b57d0; --primary-text: #fff; --primary-hover: #0842a0; --focus: #0b57d0;
  --error-bg: #fdecea; --error-text: #8c1d18; --info-bg: #e8f0fe; --info-text: #0b3d91;
  box-sizing: border-box; width: 100%; margin: 0; padding: 16px 18px 18px;
  background: var(--bg); color: var(--text); border: 1px solid var(--border); border-radius: 10px;
  box-shadow: 0 8px 28px rgba(0, 0, 0, 0.28);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  text-align: start; letter-spacing: normal; word-spacing: normal; text-transform: none;
}
@media (prefers-color-scheme: dark) {
  .card {
    --bg: #1b1d21; --text: #e8eaed; --muted: #b4bcc5; --border: #8b949e; --surface: #24272c;
    --primary: #8ab4f8; --primary-text: #0b1a33; --primary-hover: #aecbfa; --focus: #aecbfa;
    --error-bg: #3c1f1d; --error-text: #ffb4ab; --info-bg: #1f2d45; --info-text: #c6dafc;
    box-shadow: 0 8px 28px rgba(0, 0, 0, 0.6);
  }
}
* { box-sizing: border-box; }
.card:focus { outline: none; }
/* Squeezed into a band beside a small form: the heading and the buttons stay in view, the text between them scrolls. */
.card.tight { display: flex; flex-direction: column; overflow: hidden; }
.card.tight > * { flex: none; }
.card.tight > #body, .card.tight > .muted { flex: 0 1 auto; min-height: 1.5em; overflow-y: auto; }
.head { display: flex; align-items: flex-start; gap: 8px; }
.org { margin: 0 0 2px; font-size: 14px; color: var(--muted); font-weight: 600; }
h2 { flex: 1; margin: 0 0 8px; font-size: 18px; line-height: 1.3; font-weight: 700; color: var(--text); }
p { margin: 0 0 10px; }
.muted { color: var(--muted); font-size: 14px; }
.notice { border-radius: 6px; padding: 8px 10px; font-size: 14px; }
.notice.error { background: var(--error-bg); color: var(--error-text); border-inline-start: 4px solid var(--error-text); }
.notice.info { background: var(--info-bg); color: var(--info-text); }
.notice:empty { display: none; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 14px; }
button {
  font: inherit; font-size: 15px; cursor: pointer; border-radius: 6px; padding: 9px 14px; margin: 0;
  line-height: 1.3; min-height: 40px;
}
button.primary { background: var(--primary); color: var(--primary-text); border: 1px solid var(--primary); font-weight: 600; }
button.primary:hover { background: var(--primary-hover); }
button.secondary { background: var(--surface); color: var(--text); border: 1px solid var(--border); }
button.close {
  flex: none; width: 36px; min-height: 36px; height: 36px; padding: 0; margin: -6px -8px 0 0;
  background: transparent; color: var(--muted); border: 1px solid transparent; font-size: 22px; line-height: 1;
}
button.close:hover { color: var(--text); border-color: var(--border); }
button[aria-disabled="true"] { cursor: progress; opacity: 0.8; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
@media (prefers-reduced-motion: no-preference) { .card { animation: in 140ms ease-out; } }
@keyframes in { from { opacity: 0; transform: translateY(6px); } to { opacity: 1; transform: none; } }
`;
