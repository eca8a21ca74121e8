import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { CodeInput } from "../ui/code-input.js";
import { StepFrame } from "../ui/step-frame.js";
import type { ErrorView } from "../wizard/errors.js";
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

const LENGTH = 6;

/** Base32 in groups of four, as authenticator apps show keys: easier to type and to check. */
export const groupSecret = (secret: string): string => secret.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");

/** Scan (or type) the secret into the app, then prove it with the code it shows (spec §3). */
export function TotpScreen({ base, secret, otpauthUri, orgName, onVerify, onCancel }: Props) {
  const [code, setCode] = useState("");
  const [local, setLocal] = useState<ErrorView | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useLayoutEffect(() => {
    if (base.error?.about !== "code") return;
    setCode("");
    inputRef.current?.focus();
  }, [base.error]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(t("regKeyCopied"));
    } catch {
      setCopied(t("regKeyCopyFailed"));
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    if (code.length !== LENGTH) return setLocal({ message: t("errorCodeLength", LENGTH) });
    setLocal(null);
    onVerify(code);
  };
  const error = local ?? base.error;
  return (
    <StepFrame {...base.frame} title={t("regTotpTitle")} error={error} info={copied ?? base.info}>
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
          <form onSubmit={submit} noValidate>
            <label for="code">{t("regTotpCodeLabel", orgName)}</label>
            <p id="code-hint" class="hint">
              {t("codeHint", LENGTH)}
            </p>
            <CodeInput id="code" length={LENGTH} value={code} onChange={setCode} describedBy="code-hint" invalid={!!local || base.error?.about === "code"} inputRef={inputRef} />
            <PrimaryButton busy={base.busy}>{t("verify")}</PrimaryButton>
          </form>
        </li>
      </ol>
      <p class="secondary-actions">
        <LinkButton busy={base.busy} onClick={onCancel}>
          {t("regCancel")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
