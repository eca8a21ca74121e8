/**
 * Login CSRF (issue 11, item 12): a page can fill in credentials of its own and submit them (a
 * script's `form.requestSubmit()` even fires a trusted submit), and the extension would then sign
 * the visitor into the attacker's account and offer to register recovery there. So a password is
 * taken only if the user put it in the field: the value at submit is exactly what the field held
 * right after the user's last trusted input in it (typing, pasting, dropping), or the browser's own
 * password manager filled it and nothing changed it since (`:autofill`, which a script's assignment
 * clears). Pure, so the rule is tested without a browser; observe.ts gathers the facts.
 *
 * What this gives up: a password manager that is itself an extension fills fields by script, so its
 * fills count as the page's until the user types in the field.
 */
export interface PasswordFacts {
  /** The field's value at submit. */
  value: string;
  /** The field's value right after the last trusted `input` event in it; undefined if there was none. */
  typed: string | undefined;
  /** The field matched `:autofill` at submit. */
  autofilled: boolean;
}

export function typedByUser({ value, typed, autofilled }: PasswordFacts): boolean {
  if (!value) return false;
  return autofilled || typed === value;
}

/** Whether the browser's autofill (its password manager) filled the field and nothing has changed it since. */
export function isAutofilled(field: Element): boolean {
  for (const selector of [":autofill", ":-webkit-autofill"]) {
    try {
      if (field.matches(selector)) return true;
    } catch {
      // a browser (or test DOM) that doesn't know this pseudo-class
    }
  }
  return false;
}
