import { describe, expect, it } from "vitest";
import { CHANGE, F_EMAIL, F_USER, norm, PASSWORD_WORD, RESET, SIGNIN, SIGNUP, wordBits } from "../../../extension/signin-detection/lexicon.js";

const bitsOf = (text: string) => wordBits(norm(text));

// Real wording from Japanese and Arabic sign-in pages: the languages the extension's pages speak must also be read.
describe("lexicon in Japanese and Arabic", () => {
  it.each([
    ["ログイン", SIGNIN],
    ["サインインしてください", SIGNIN],
    ["パスワードをお忘れですか？", RESET | PASSWORD_WORD],
    ["新規登録はこちら", SIGNUP],
    ["パスワードを変更", CHANGE | PASSWORD_WORD],
    ["メールアドレス", F_USER | F_EMAIL],
    ["تسجيل الدخول", SIGNIN],
    ["نسيت كلمة المرور؟", RESET | PASSWORD_WORD],
    ["إنشاء حساب", SIGNUP],
    ["تغيير كلمة المرور", CHANGE | PASSWORD_WORD],
    ["البريد الإلكتروني", F_USER | F_EMAIL],
  ])("%s", (text, bits) => {
    expect(bitsOf(text) & bits).toBe(bits);
  });

  it("leaves unrelated Japanese and Arabic text alone", () => {
    expect(bitsOf("今日の天気")).toBe(0);
    expect(bitsOf("مرحبا بالعالم")).toBe(0);
  });
});
