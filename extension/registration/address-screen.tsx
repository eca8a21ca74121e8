import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import { BackRow } from "./back-row.js";
import type { ErrorView } from "../wizard/errors.js";
import type { ScreenBase } from "./screen-props.js";

interface Props {
  base: ScreenBase;
  kind: "email" | "sms";
  onSubmit: (value: string) => void;
  onBack: () => void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** International format: a +, then the country code and number; spaces, dots, dashes and brackets are fine. */
const PHONE = /^\+[0-9][0-9 ().-]{5,30}$/;

/** Step one of adding an email address or a mobile number: where the code should go. */
export function AddressScreen({ base, kind, onSubmit, onBack }: Props) {
  const [value, setValue] = useState("");
  const [local, setLocal] = useState<ErrorView | null>(null);
  const email = kind === "email";
  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    const trimmed = value.trim();
    if (email && !EMAIL.test(trimmed)) return setLocal({ message: t("regErrorEmail") });
    if (!email && !PHONE.test(trimmed)) return setLocal({ message: t("regErrorPhoneFormat") });
    setLocal(null);
    onSubmit(trimmed);
  };
  const error = local ?? base.error;
  const field = {
    id: "address",
    autocapitalize: "none" as const,
    spellcheck: false,
    value,
    "aria-describedby": "address-hint",
    "aria-invalid": error ? ("true" as const) : undefined,
    onInput: (e: { currentTarget: HTMLInputElement }) => setValue(e.currentTarget.value),
  };
  return (
    <StepFrame {...base.frame} title={email ? t("regEmailTitle") : t("regSmsTitle")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{email ? t("regEmailLead") : t("regSmsLead")}</p>
        <label for="address">{email ? t("regEmailLabel") : t("regSmsLabel")}</label>
        <p id="address-hint" class="hint">
          {email ? t("regEmailHint") : t("regSmsHint")}
        </p>
        {email ? <input type="email" autoComplete="email" inputMode="email" {...field} /> : <input type="tel" autoComplete="tel" inputMode="tel" {...field} />}
        <PrimaryButton busy={base.busy}>{t("sendCode")}</PrimaryButton>
      </form>
      <BackRow busy={base.busy} onBack={onBack} />
    </StepFrame>
  );
}
