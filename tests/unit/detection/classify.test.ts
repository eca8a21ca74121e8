import { describe, expect, it } from "vitest";
import { classify, fieldKind } from "../../../extension/signin-detection/index.js";
import { field, group, page, submit } from "./snapshot-builder.js";

/** classify is pure: hand-built snapshots, no DOM. Each case names the feature it proves. */

const user = field({ name: "username", label: "Username" });
const pass = field({ type: "password", name: "password", label: "Password" });

describe("classify: sign-in forms", () => {
  it.each([
    ["autocomplete tokens alone", [field({ autocomplete: "username" }), field({ type: "password", autocomplete: "current-password" })], group()],
    ["plain username + password, no words at all", [user, pass], group()],
    ["German wording", [field({ label: "Benutzername" }), field({ type: "password", label: "Passwort" })], group({ buttons: [submit("Anmelden")] })],
    ["French wording", [field({ label: "Identifiant" }), field({ type: "password", label: "Mot de passe" })], group({ buttons: [submit("Se connecter")] })],
    ["Spanish wording", [field({ name: "usuario" }), field({ type: "password", name: "contraseña" })], group({ buttons: [submit("Iniciar sesión")] })],
    ["Polish wording", [field({ label: "Login lub e-mail" }), field({ type: "password", label: "Hasło" })], group({ heading: "Zaloguj się" })],
    ["a captcha field does not count against it", [user, pass, field({ name: "captcha_code", label: "Type the characters shown" })], group({ buttons: [submit("Login")] })],
  ])("%s → signin", (_, fields, g) => {
    const c = classify(page(fields, [g]));
    expect(c.kind).toBe("signin");
    expect(c.username).toBe(0);
    expect(c.password).toBe(1);
  });

  it("a read-only identifier on the password step is the username", () => {
    const c = classify(page([field({ type: "email", readOnly: true, autocomplete: "username" }), field({ type: "password", autocomplete: "current-password" })]));
    expect(c).toMatchObject({ kind: "signin", username: 0, password: 1 });
  });

  it("a hidden username input on the password step is the username", () => {
    const c = classify(page([field({ type: "hidden", name: "state", visible: false }), field({ type: "hidden", name: "username", visible: false }), pass], [group({ buttons: [submit("Continue")] })]));
    expect(c).toMatchObject({ kind: "signin", username: 1, password: 2 });
  });

  it("honeypots (invisible, or out of the tab order) are never the username", () => {
    const c = classify(page([field({ name: "website", tabIndex: -1 }), field({ type: "email", name: "email" }), field({ name: "username", visible: false }), pass], [group({ buttons: [submit("Log in")] })]));
    expect(c).toMatchObject({ kind: "signin", username: 1, password: 3 });
  });

  it("picks the sign-in form beside a sign-up form", () => {
    const c = classify(page(
      [
        field({ group: 0, type: "email", autocomplete: "email" }), field({ group: 0, type: "password", autocomplete: "new-password" }),
        field({ group: 1, autocomplete: "username" }), field({ group: 1, type: "password", autocomplete: "current-password" }),
      ],
      [group({ heading: "Register", buttons: [submit("Register")] }), group({ heading: "Login", buttons: [submit("Log in")] })],
    ));
    expect(c).toMatchObject({ kind: "signin", group: 1, username: 2, password: 3 });
  });

  it("a bank PIN beside a customer number is a sign-in", () => {
    const c = classify(page([field({ label: "Customer number" }), field({ type: "password", label: "PIN", maxLength: 5, inputMode: "numeric" })], [group({ buttons: [submit("Log in")] })]));
    expect(c).toMatchObject({ kind: "signin", username: 0, password: 1 });
  });
});

describe("classify: identifier-first pages", () => {
  it("one username field under a sign-in heading, with Next", () => {
    const c = classify(page([field({ type: "email", autocomplete: "username" })], [group({ heading: "Sign in", buttons: [submit("Next")] })]));
    expect(c).toMatchObject({ kind: "signin-username-only", username: 0, password: null });
  });

  it("needs sign-in wording somewhere: a lone username field is not enough", () => {
    expect(classify(page([field({ autocomplete: "username" })], [group({ buttons: [submit("Next")] })])).kind).toBe("none");
  });

  it.each([
    ["newsletter", group({ heading: "Sign in to get deals", buttons: [submit("Subscribe")] })],
    ["forgot password", group({ heading: "Forgot your password?", buttons: [submit("Send reset link")] })],
    ["sign-up first step", group({ heading: "Create your account", buttons: [submit("Continue")] })],
  ])("an email field in a %s form is none", (_, g) => {
    expect(classify(page([field({ type: "email", name: "email" })], [g], "Sign in")).kind).toBe("none");
  });
});

describe("classify: not sign-in", () => {
  it.each([
    ["sign-up with new-password", [field({ type: "email" }), field({ type: "password", autocomplete: "new-password" })], group({ buttons: [submit("Create account")] })],
    ["sign-up by wording alone", [user, pass], group({ heading: "Register a new account", buttons: [submit("Register")] })],
    ["two password fields", [field({ type: "email" }), pass, field({ type: "password", name: "password2" })], group()],
    ["confirm password by label", [field({ type: "email" }), pass, field({ type: "password", label: "Confirm password" })], group()],
    ["change password", [field({ type: "password", autocomplete: "current-password" }), field({ type: "password", autocomplete: "new-password" }), field({ type: "password", autocomplete: "new-password", label: "Confirm" })], group({ heading: "Change password" })],
    ["name fields", [field({ autocomplete: "given-name" }), field({ autocomplete: "family-name" }), field({ type: "email" }), pass], group()],
    ["OTP in a password input", [field({ type: "password", autocomplete: "one-time-code" })], group({ buttons: [submit("Verify")] })],
    ["PIN step with no username", [field({ type: "password", name: "pin", inputMode: "numeric", maxLength: 6 })], group({ heading: "Enter your PIN" })],
    ["card security code", [field({ autocomplete: "cc-number" }), field({ type: "password", autocomplete: "cc-csc" })], group({ buttons: [submit("Pay now")] })],
    ["search box", [field({ type: "search", name: "q" })], group({ buttons: [submit("Search")] })],
    ["delete account", [field({ type: "password" })], group({ heading: "Delete your account", buttons: [submit("Delete account")] })],
  ])("%s → none", (_, fields, g) => {
    expect(classify(page(fields, [g])).kind).toBe("none");
  });

  it("honours site opt-outs on the form and on fields", () => {
    expect(classify(page([user, pass], [group({ ignored: true })])).kind).toBe("none");
    expect(classify(page([user, { ...pass, ignored: true }])).kind).toBe("none");
  });
});

describe("fieldKind", () => {
  it.each([
    [{ autocomplete: "username" }, "user"],
    [{ type: "email" }, "email"],
    [{ label: "E-Mail-Adresse" }, "email"],
    [{ name: "loginfmt" }, "user"],
    [{ name: "q" }, "search"],
    [{ autocomplete: "one-time-code" }, "otp"],
    [{ autocomplete: "cc-number" }, "card"],
    [{ label: "Postal code" }, "address"],
    [{ label: "Email address" }, "email"],
    [{ label: "Discount code" }, "other"],
    [{ label: "Vorname" }, "name"],
    [{ label: "Nom d'utilisateur" }, "user"],
    [{ type: "password", label: "Repeat password" }, "confirm"],
    [{ type: "password", name: "new_password1" }, "new"],
    [{ type: "password", name: "old_password" }, "current"],
    [{ type: "password", name: "pin", maxLength: 6 }, "pin"],
    [{ type: "password", label: "Meeting passcode" }, "otp"],
  ] as const)("%o → %s", (over, kind) => {
    expect(fieldKind(field(over))).toBe(kind);
  });
});
