import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { t } from "../i18n.js";
import { sendMessage } from "../messaging.js";
import type { SignInAccess } from "../registration/view.js";
import { PrimaryButton } from "../ui/buttons.js";
import { patternText } from "./pattern-text.js";
import "./signin-access.css";

/**
 * "Enable sign-in prompts" (spec §5): host access to the policy's sign-in pages only, asked for in
 * the user's click — Chrome requires a gesture, so the request must start before any await.
 */
export function SignInAccessSection({ refresh }: { refresh: number }) {
  const [access, setAccess] = useState<SignInAccess | null>(null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    void sendMessage("access.get").then((r) => r.ok && setAccess(r.value));
  }, [refresh]);

  if (!access || access.patterns.length === 0) return null;
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

  return (
    <section class="signin-access" aria-labelledby="signin-access-title">
      <h2 id="signin-access-title">{t("accessTitle")}</h2>
      <p>{t("accessLead")}</p>
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
      <div role="status" class={refused || missing.length === 0 ? "notice info" : "notice-empty"}>
        {missing.length === 0 ? <p>{t("accessAllOn")}</p> : refused ? <p>{t("accessRefused")}</p> : null}
      </div>
      {missing.length > 0 && (
        <PrimaryButton busy={false} onClick={enable}>
          {missing.length === 1 ? t("accessEnableOne") : t("accessEnableMany", missing.length)}
        </PrimaryButton>
      )}
    </section>
  );
}
