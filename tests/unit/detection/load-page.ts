import { Window } from "happy-dom";

/**
 * A labelled page in happy-dom, its inline scripts run (customElements, timers), for the unit
 * tests. happy-dom has no layout: detection then judges visibility by attributes and styles only.
 */
export async function loadPage(html: string, url = "https://pages.test/page.html"): Promise<{ window: Window; document: Document }> {
  const window = new Window({
    url,
    width: 1280,
    height: 800,
    settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true },
  });
  window.document.write(html);
  await window.happyDOM.waitUntilComplete();
  return { window, document: window.document as unknown as Document };
}
