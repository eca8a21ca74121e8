import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../../shared/errors.js";
import type { ClientErrorCode } from "../../../extension/api-client.js";
import { formatWait } from "../../../extension/i18n.js";
import { describeError } from "../../../extension/wizard/errors.js";

const CLIENT_ONLY: ClientErrorCode[] = ["network", "bad_response", "not_configured", "invalid_url", "extension_error"];

describe("describeError", () => {
  it.each([...ERROR_CODES, ...CLIENT_ONLY])("has words for %s (never the bare code)", (code) => {
    const { message } = describeError({ code, message: "x" });
    expect(message.length).toBeGreaterThan(10);
    expect(message).not.toContain(code);
    expect(message).not.toMatch(/^[a-zA-Z]+$/);
  });

  it("reads a wrong code and wrong answers differently", () => {
    const error = { code: "invalid_code" as const, message: "", details: [{ attemptsLeft: 2 }] };
    expect(describeError(error, "code").message).toBe("That code isn't right. You have 2 attempts left.");
    expect(describeError(error, "answers").message).toBe("At least one answer isn't right. Check your answers and try again. You have 2 attempts left.");
  });

  it("tells a directory user that an unreachable directory changed nothing", () => {
    const { message, about } = describeError({ code: "directory_unavailable", message: "" });
    expect(message).toContain("nothing was changed");
    expect(about).toBeUndefined();
  });

  it("shows the directory's refusal as the reason, beside the rule list", () => {
    const view = describeError({ code: "password_policy", message: "", details: [{ rule: "directory", message: "Your organisation's directory refused this password: it was used recently." }] });
    expect(view.items).toEqual(["Your organisation's directory refused this password: it was used recently."]);
    expect(view.about).toBe("password");
  });

  it("says when to come back from a block", () => {
    expect(describeError({ code: "reset_blocked", message: "", retryAfterSeconds: 86_400 }).message).toContain("Try again in 24 hours");
    expect(describeError({ code: "reset_blocked", message: "" }).message).toContain("Try again later");
  });
});

describe("formatWait", () => {
  it.each([
    [1, "1 second"],
    [30, "30 seconds"],
    [60, "1 minute"],
    [61, "2 minutes"],
    [3599, "1 hour"],
    [3600, "1 hour"],
    [82_800, "23 hours"],
    [82_801, "24 hours"],
  ])("%i s reads %s (rounded up)", (seconds, text) => {
    expect(formatWait(seconds)).toBe(text);
  });
});
