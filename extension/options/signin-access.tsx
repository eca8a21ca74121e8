import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { t } from "../i18n.js";
import { sendMessage } from "../messaging.js";
import type { SignInAccess } from "../registration/view.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StrongIn } from "../ui/strong-in.js";
import { patternText } from "./pattern-text.js";
import "./signin-access.css";

/**
 * "Enable sign-in prompts" (spec §5): host access to the policy's sign-in pages only, asked for in
 * the user's click — Chrome requires a gesture, so the request must start before any await. It
 * names the server the passwords typed there go to, and says which of the policy's patterns it left
 * out because they match every website (issue 11, item 13).
 */
export function SignInAccessSection({ refresh }: { refresh: number }) {
  const [access, setAccess] = useState<SignInAccess | null>(null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    void sendMessage("access.get").then((r) => r.ok && setAccess(r.value));
  }, [refresh]);

  if (!access || access.patterns.length + access.refused.length === 0) return null;
  const missing = access.patterns.filter((p) => !access.granted.includes(p));

  const enable = () => {
    const asked = browser.permissions.request({ origins: missing });
    setRefused(false);
    void asked
      .catch(() => false)
      .then(async (granted) => {
        if (!granted) setRefused(true);
        const synced = await sendMessage("access.sync");
        if (synced.ok) setAccess(synced.value);
      });
  };

  const allOn = access.patterns.length > 0 && missing.length === 0;
  return (
    <section class="signin-access" aria-labelledby="signin-access-title">
      <h2 id="signin-access-title">{t("accessTitle")}</h2>
      <p>
        <StrongIn class="server" message={(server) => t("accessLead", server)} value={access.server ?? t("accessYourServer")} />
      </p>
      {access.patterns.length > 0 && (
        <ul class="patterns">
          {access.patterns.map((p) => (
            <li key={p}>
              {/* Readable words for the page; the exact pattern Chrome is given stays at hand as a tooltip. */}
              <span class="pattern" title={p}>
                {patternText(p)}
              </span>{" "}
              <span class={access.granted.includes(p) ? "on" : "off"}>{access.granted.includes(p) ? t("accessOn") : t("accessOff")}</span>
            </li>
          ))}
        </ul>
      )}
      {access.refused.length > 0 && (
        // Shown exactly as the policy has it: this is for the help desk to fix.
        <div class="notice info refused">
          <p>{t("accessEveryHost")}</p>
          <ul>
            {access.refused.map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div role="status" class={refused || allOn ? "notice info" : "notice-empty"}>
        {allOn ? <p>{t("accessAllOn")}</p> : refused ? <p>{t("accessRefused")}</p> : null}
      </div>
      {missing.length > 0 && (
        <PrimaryButton busy={false} onClick={enable}>
          {missing.length === 1 ? t("accessEnableOne") : t("accessEnableMany", missing.length)}
        </PrimaryButton>
      )}
    </section>
  );
}
