import { defineContentScript } from "wxt/utils/define-content-script";
import { startSignInPrompts } from "../prompt/content.js";

/**
 * Runs only on the policy's sign-in pages the extension was granted (background/signin-pages.ts
 * registers it at run time): `registration: "runtime"` keeps it out of the manifest, and no
 * `matches` here means no host permission is asked for at install.
 */
export default defineContentScript({
  registration: "runtime",
  main() {
    startSignInPrompts(document);
  },
});
