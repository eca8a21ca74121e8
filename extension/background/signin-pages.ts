import { browser } from "wxt/browser";
import { isSignInPagePattern, matchesEveryHost } from "../../shared/policy/match-pattern.js";
import { matchesPattern } from "./page-match.js";
import type { SignInAccess } from "../registration/view.js";
import { signInPagesItem } from "../storage.js";
import { fetchConfig, workerBaseUrl } from "./settings.js";

/**
 * Least privilege (spec §1, §5): the sign-in content script is registered at run time, only for the
 * policy's `signInPages` the extension holds host access to — granted by the user on the options page
 * (optional host permissions) or by the admin's build (required ones). Every other page gets nothing.
 */

export const SIGNIN_SCRIPT_ID = "opensspr-signin";
/** Where WXT writes the `signin.content.ts` entrypoint. */
const SIGNIN_SCRIPT_FILE = "content-scripts/signin.js";

/**
 * Patterns Chrome accepts, once each: one bad entry would make registerContentScripts reject them all.
 * Never one that matches every website (issue 11, item 13), even from a worker that let one through:
 * the extension would send the worker every password the user types anywhere.
 */
export const usablePatterns = (patterns: readonly string[]): string[] => [...new Set(patterns.filter(isSignInPagePattern))];

async function granted(patterns: string[]): Promise<string[]> {
  const held = await Promise.all(
    patterns.map(async (p) => {
      try {
        return await browser.permissions.contains({ origins: [p] });
      } catch {
        return false; // a pattern this browser can't express as a permission is not granted
      }
    }),
  );
  return patterns.filter((_, i) => held[i]);
}

/**
 * The policy's pages: as just fetched, else fresh from the worker when it answers, else as last seen;
 * and those left out because they match every website, for the options page to say so.
 */
async function currentPatterns(signInPages?: string[]): Promise<{ patterns: string[]; refused: string[] }> {
  let pages = signInPages;
  if (!pages) {
    const config = await fetchConfig();
    if (!config.ok) return { patterns: await signInPagesItem.getValue(), refused: [] };
    pages = config.value.signInPages;
  }
  const patterns = usablePatterns(pages);
  await signInPagesItem.setValue(patterns);
  return { patterns, refused: [...new Set(pages.filter(matchesEveryHost))] };
}

/**
 * Whether a sign-in tab's page is still one of the policy's sign-in pages, with access still granted:
 * a content script injected earlier keeps running after the admin drops its page, the worker changes
 * (which drops the grants) or the user withdraws site access, and must not be able to send a password then.
 */
export async function isSignInPage(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  const matching = (await signInPagesItem.getValue()).filter((pattern) => matchesPattern(url, pattern));
  return (await granted(matching)).length > 0;
}

export async function signInAccess(signInPages?: string[]): Promise<SignInAccess> {
  const [{ patterns, refused }, base] = await Promise.all([currentPatterns(signInPages), workerBaseUrl()]);
  return { patterns, granted: await granted(patterns), refused, server: base.ok ? new URL(base.value).host : null };
}

/**
 * Makes the registered content script match exactly the granted sign-in pages (none: unregistered).
 * `signInPages` is the policy's list when the caller has just fetched it.
 */
export async function syncSignInScripts(signInPages?: string[]): Promise<SignInAccess> {
  const access = await signInAccess(signInPages);
  const scripting = browser.scripting;
  if (!scripting?.registerContentScripts) return access;
  const existing = await scripting.getRegisteredContentScripts({ ids: [SIGNIN_SCRIPT_ID] });
  if (access.granted.length === 0) {
    if (existing.length) await scripting.unregisterContentScripts({ ids: [SIGNIN_SCRIPT_ID] });
    return access;
  }
  const script = { id: SIGNIN_SCRIPT_ID, matches: access.granted, js: [SIGNIN_SCRIPT_FILE], runAt: "document_idle" as const, allFrames: false };
  if (existing.length) await scripting.updateContentScripts([script]);
  else await scripting.registerContentScripts([{ ...script, persistAcrossSessions: true }]);
  return access;
}

/** Calls to sync run one at a time: two overlapping registrations of one id would make the second throw. */
let syncing: Promise<SignInAccess> | null = null;
let again = false;
export function scheduleSync(signInPages?: string[]): Promise<SignInAccess> {
  if (syncing) {
    again = true;
    return syncing;
  }
  const run = async (): Promise<SignInAccess> => {
    try {
      let result = await syncSignInScripts(signInPages);
      while (again) {
        again = false;
        result = await syncSignInScripts();
      }
      return result;
    } finally {
      syncing = null;
    }
  };
  syncing = run();
  return syncing;
}
