import { describe, expect, it } from "vitest";
import { resolveSelector, uniqueSelector } from "../../../extension/signin-detection/index.js";
import { loadPage } from "./load-page.js";

describe("uniqueSelector / resolveSelector", () => {
  it("names each element uniquely, and resolves back to the same element", async () => {
    const { window, document } = await loadPage(`<!doctype html><body>
      <form id="a"><input name="email"><input type="password" name="pw"></form>
      <form><input name="email"><input type="password" name="pw"></form>
      <div id="we:ird.id"><input></div><div><p><input><input></p></div>
      <x-host></x-host><script>
        const r = document.querySelector("x-host").attachShadow({ mode: "open" });
        r.innerHTML = '<div><input name="email"></div><inner-host></inner-host>';
        r.querySelector("inner-host").attachShadow({ mode: "open" }).innerHTML = '<input id="deep">';
      </script></body>`);
    const elements = [...document.querySelectorAll("input")];
    const host = document.querySelector("x-host")!.shadowRoot!;
    elements.push(host.querySelector("input")!, host.querySelector("inner-host")!.shadowRoot!.querySelector("input")!);
    for (const el of elements) {
      const selector = uniqueSelector(el);
      expect(resolveSelector(document, selector), selector).toBe(el);
    }
    expect(uniqueSelector(elements.at(-1)!)).toBe("x-host >>> inner-host >>> #deep");
    await window.happyDOM.close();
  });

  it("resolves nothing for a selector that matches several elements or none", async () => {
    const { window, document } = await loadPage(`<!doctype html><body><input><input></body>`);
    expect(resolveSelector(document, "input")).toBeNull();
    expect(resolveSelector(document, "#nope >>> input")).toBeNull();
    await window.happyDOM.close();
  });
});
