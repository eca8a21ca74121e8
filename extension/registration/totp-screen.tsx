import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import { BackRow } from "./back-row.js";
import { CodeForm } from "../ui/code-form.js";
import { StepFrame } from "../ui/step-frame.js";
import { useCodeEntry } from "../ui/use-code-entry.js";
import { codeLength } from "../wizard/state.js";
import { QrCode } from "./qr-code.js";
import type { ScreenBase } from "./screen-props.js";

interface Props {
  base: ScreenBase;
  secret: string;
  otpauthUri: string;
  orgName: string;
  onVerify: (code: string) => void;
  onCancel: () => void;
}

/** Base32 in groups of four, as authenticator apps show keys: easier to type and to check. */
export const groupSecret = (secret: string): string => secret.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");

/** Scan (or type) the secret into the app, then prove it with the code it shows (spec §3). */
export function TotpScreen({ base, secret, otpauthUri, orgName, onVerify, onCancel }: Props) {
  const entry = useCodeEntry({ length: codeLength("totp"), base, onVerify });
  const [copied, setCopied] = useState<string | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(t("regKeyCopied"));
    } catch {
      setCopied(t("regKeyCopyFailed"));
    }
  };

  return (
    <StepFrame {...base.frame} title={t("regTotpTitle")} error={entry.error} info={copied ?? base.info}>
      <ol class="steps">
        <li>
          <p>{t("regTotpScan")}</p>
          <QrCode value={otpauthUri} label={t("regTotpQrLabel")} />
        </li>
        <li>
          <p id="secret-label">{t("regTotpKeyLead")}</p>
          <p class="secret-row">
            <code class="secret" aria-labelledby="secret-label">
              {groupSecret(secret)}
            </code>
            <button type="button" class="secondary" onClick={() => void copy()}>
              {t("regCopyKey")}
            </button>
          </p>
        </li>
        <li>
          <CodeForm entry={entry} label={t("regTotpCodeLabel", orgName)} busy={base.busy} />
        </li>
      </ol>
      <BackRow busy={base.busy} onBack={onCancel} />
    </StepFrame>
  );
}
