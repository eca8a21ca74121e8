import { describe, expect, it } from "vitest";
import { codeSms, methodChangedEmail, passwordExpiryEmail, resetCompletedEmail } from "../../../worker/src/delivery/templates.js";

const helpdesk = { url: "https://help.contoso.example", email: null };
const at = "2026-12-07T14:05:00.000Z";

describe("emails and SMS in the recipient's language", () => {
  it("writes Arabic right to left, with the time in Arabic and the helpdesk kept", () => {
    const m = resetCompletedEmail({ locale: "ar", to: "a@contoso.example", orgName: "Contoso", username: "amal", at, ip: "203.0.113.9", helpdesk });
    expect(m.subject).toBe("Contoso: تمت إعادة تعيين كلمة المرور");
    expect(m.html).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/);
    expect(m.text).toContain(new Intl.DateTimeFormat("ar", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(at)));
    expect(m.text).toContain("203.0.113.9");
    expect(m.text).toContain("https://help.contoso.example");
  });

  it("formats dates the reader's way", () => {
    const de = passwordExpiryEmail({ locale: "de", to: "j@contoso.example", orgName: "Contoso", username: "jan", expiresAt: at, daysLeft: 3, helpdesk });
    expect(de.subject).toBe("Contoso: Ihr Passwort läuft in 3 Tagen ab");
    expect(de.text).toContain("(7. Dezember 2026)");
    const ja = passwordExpiryEmail({ locale: "ja", to: "j@contoso.example", orgName: "Contoso", username: "jun", expiresAt: at, daysLeft: 1, helpdesk });
    expect(ja.text).toContain("2026年12月7日");
  });

  it("describes a method from its masked hint in the reader's words", () => {
    const m = methodChangedEmail({ locale: "pt-BR", to: "p@contoso.example", orgName: "Contoso", username: "paula", change: "added", method: { type: "sms", hint: "+55 ••••• 5678" }, at, ip: null, helpdesk });
    expect(m.text.split("\n\n")[0]).toMatch(/^O número de celular \+55 ••••• 5678 foi adicionado/);
  });

  it("keeps English when no locale is given, word for word as before", () => {
    expect(codeSms({ to: "+14155552671", orgName: "Contoso", code: "12345678", minutes: 10 }).text).toBe("12345678 is your Contoso verification code. It expires in 10 minutes. Never share it.");
  });

  it("never reads a placeholder out of a value (an org name with braces stays as typed)", () => {
    expect(codeSms({ locale: "fr", to: "+33612345678", orgName: "{code} Corp", code: "12345678", minutes: 10 }).text).toBe("12345678 est votre code {code} Corp. Expire dans 10 min. Ne le partagez jamais.");
  });
});
