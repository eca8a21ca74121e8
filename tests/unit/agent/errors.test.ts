import { InvalidCredentialsError, ConstraintViolationError, UnwillingToPerformError, NoSuchObjectError } from "ldapts";
import { describe, expect, test } from "vitest";
import { fromAgentMessageSchema } from "../../../shared/directory/protocol.js";
import { adBindFailure, adPasswordRefusal, failure, openLdapPasswordRefusal } from "../../../agent/src/ldap/errors.js";

const adBind = (data: string) => new InvalidCredentialsError(`80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data ${data}, v4563`);
const samba52d = (detail: string) => new ConstraintViolationError(`0000052D: Constraint violation - check_password_restrictions: ${detail}`);

describe("AD bind failures", () => {
  test.each([
    ["52e", "invalid_credentials"],
    ["525", "invalid_credentials"],
    ["775", "locked"],
    ["533", "disabled"],
    ["701", "disabled"],
    ["773", "must_change"],
    ["532", "expired"],
    // Logon hours and workstations: AD checks them after the password, so they must not differ from a refusal that proves nothing.
    ["530", "disabled"],
    ["531", "disabled"],
  ])("data %s is %s", (data, reason) => {
    expect(adBindFailure(adBind(data))).toMatchObject({ ok: false, reason });
  });

  test("a failure that is not 49 is an error for the admin's log", () => {
    expect(adBindFailure(new UnwillingToPerformError("00002029: unwilling"))).toMatchObject({ reason: "error" });
  });
});

describe("password refusals in plain words", () => {
  const plain = (message: string) => {
    expect(message).toMatch(/^Your organisation's directory refused this password: /);
    expect(message).not.toMatch(/0000052D|00000056|Code|constraint|check_password|ppolicy/i);
  };

  test.each([
    ["the password is too short. It should be equal or longer than 8 characters!", "too short"],
    ["the password does not meet the complexity criteria!", "not complex enough"],
    ["the password was already used (in history)!", "used recently"],
  ])("Samba 0000052D: %s", (detail, words) => {
    const result = adPasswordRefusal(samba52d(detail));
    expect(result).toMatchObject({ ok: false, reason: "policy", message: expect.stringContaining(words) });
    plain(result.message);
  });

  test("Windows's 0000052D names no rule: the message names all three", () => {
    const result = adPasswordRefusal(new ConstraintViolationError("0000052D: AtrErr: DSID-03191083, #1:\n\t0: 0000052D: DSID-03191083, problem 1005 (CONSTRAINT_ATT_TYPE), data 0, Att 9005a (unicodePwd)"));
    expect(result).toMatchObject({ reason: "policy", message: expect.stringContaining("length, complexity or history") });
    plain(result.message);
  });

  test("AD: 00000056 is a wrong current password, no entry is not_found", () => {
    expect(adPasswordRefusal(new ConstraintViolationError("00000056: Constraint violation - check_password_restrictions: wrong old password"))).toMatchObject({ reason: "wrong_current" });
    expect(adPasswordRefusal(new NoSuchObjectError("0000208D: no such object"))).toMatchObject({ reason: "not_found" });
  });

  test.each([
    ["Password fails quality checking policy", "too short or too simple"],
    ["Password is in history of old passwords", "used recently"],
    ["Password is too young to change", "changed too recently"],
  ])("ppolicy: %s", (text, words) => {
    const result = openLdapPasswordRefusal(new ConstraintViolationError(text));
    expect(result).toMatchObject({ ok: false, reason: "policy", message: expect.stringContaining(words) });
    plain(result.message);
  });

  test("ppolicy: anything else is an error, not a policy refusal shown to the user", () => {
    expect(openLdapPasswordRefusal(new UnwillingToPerformError("unwilling to verify old password"))).toMatchObject({ reason: "wrong_current" });
    expect(openLdapPasswordRefusal(new Error("socket hang up"))).toMatchObject({ reason: "error" });
  });
});

describe("job failures", () => {
  test("a long message is cut to the protocol's 1000 characters, so the worker still takes the result", () => {
    const result = failure("policy", "x".repeat(5000));
    expect(fromAgentMessageSchema.safeParse({ type: "result", id: "j1", result }).success).toBe(true);
    expect(result.message).toHaveLength(1000);
    expect(failure("policy", "short").message).toBe("short");
  });
});
