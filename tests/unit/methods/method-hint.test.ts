import { describe, expect, it } from "vitest";
import { AUTHENTICATOR_HINT } from "../../../shared/api/resets.js";
import { shownHint } from "../../../shared/method-hint.js";

describe("shownHint", () => {
  it("gives no hint for an app the user left unnamed, whose hint is the type's own words", () => {
    expect(shownHint({ type: "totp", hint: AUTHENTICATOR_HINT })).toBe("");
  });

  it("keeps an app's own name and every other type's masked hint", () => {
    expect(shownHint({ type: "totp", hint: "Work phone" })).toBe("Work phone");
    expect(shownHint({ type: "email", hint: "j•••@e•••.com" })).toBe("j•••@e•••.com");
    expect(shownHint({ type: "sms", hint: "•••••••1234" })).toBe("•••••••1234");
  });
});
