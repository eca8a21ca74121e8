import { useLayoutEffect, useRef } from "preact/hooks";
import type { Method } from "../../shared/api/users.js";
import type { MethodType } from "../../shared/policy/method-types.js";
import { t } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import { StrongIn } from "../ui/strong-in.js";
import { MethodIcon } from "./method-icon.js";
import { MethodRow } from "./method-row.js";
import { needsText } from "./needs-text.js";
import type { ScreenBase } from "./screen-props.js";
import { hasQuestions } from "./state.js";
import type { RegistrationView } from "./view.js";

interface Props {
  base: ScreenBase;
  view: RegistrationView;
  onAdd: (type: MethodType) => void;
  onVerify: (m: Method) => void;
  onRemove: (m: Method) => void;
  onConfirm: () => void;
  onFinish: () => void;
}

const ORDER: MethodType[] = ["email", "sms", "totp", "security_questions"];

function addLabel(type: MethodType, view: RegistrationView): string {
  switch (type) {
    case "email":
      return t("regAddEmail");
    case "sms":
      return t("regAddSms");
    case "totp":
      return t("regAddTotp");
    case "security_questions":
      return hasQuestions(view) ? t("regChangeQuestions") : t("regAddQuestions");
  }
}

/** The user's methods, what the policy still needs, and the ways to add, remove or confirm (spec §5). */
export function OverviewScreen({ base, view, onAdd, onVerify, onRemove, onConfirm, onFinish }: Props) {
  const { registration } = view;
  const complete = registration.complete;
  const methods = registration.methods;
  // "Is this still right?" only when the worker says a re-confirmation is due: not right after adding
  // a method or confirming (both count as confirming), so it goes away once answered.
  const confirmDue = complete && registration.reconfirmDue;
  // Once confirmed, the button that had focus is gone: continue from the title, just above the
  // "Thanks" status line, rather than from the page body.
  const wasDue = useRef(confirmDue);
  useLayoutEffect(() => {
    if (wasDue.current && !confirmDue) document.getElementById("step-title")?.focus();
    wasDue.current = confirmDue;
  }, [confirmDue]);
  return (
    <StepFrame {...base.frame} title={complete ? t("regOverviewTitle") : t("regSetupTitle")} error={base.error} info={base.info}>
      <p class="lead">{t("regLead", view.user.displayName)}</p>
      {/* The username, not the display name: a page that signed the user in to an account of its own (login CSRF) shows here. */}
      <p class="account">
        <StrongIn message={(username) => t("regAccount", username)} value={view.user.username} />
      </p>
      <p class={complete ? "status-line done" : "status-line todo"}>
        <span aria-hidden="true" class="status-mark">
          {complete ? "✓" : "!"}
        </span>
        <span>{needsText(view)}</span>
      </p>

      <h2 id="methods-title">{t("regMethodsTitle")}</h2>
      {methods.length === 0 ? (
        <p class="hint">{t("regNoMethods")}</p>
      ) : (
        <ul class="method-list" aria-labelledby="methods-title">
          {methods.map((m) => (
            <MethodRow key={m.id} method={m} busy={base.busy} onVerify={onVerify} onRemove={onRemove} />
          ))}
        </ul>
      )}

      <h2>{t("regAddTitle")}</h2>
      <div class="add-list">
        {ORDER.filter((type) => view.available.includes(type)).map((type) => (
          <button key={type} type="button" class="secondary add" aria-disabled={base.busy ? "true" : undefined} onClick={() => !base.busy && onAdd(type)}>
            <MethodIcon type={type} />
            <span>{addLabel(type, view)}</span>
          </button>
        ))}
      </div>

      {confirmDue && (
        <section class="confirm" aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t("regConfirmTitle")}</h2>
          <p class="hint">{t("regConfirmLead")}</p>
          <PrimaryButton busy={base.busy} onClick={onConfirm}>
            {t("regConfirmButton")}
          </PrimaryButton>
        </section>
      )}
      {complete && !confirmDue ? (
        // Nothing left to do here: closing is the one main action.
        <p class="finish">
          <PrimaryButton busy={base.busy} onClick={onFinish}>
            {t("regDone")}
          </PrimaryButton>
        </p>
      ) : (
        <p class="secondary-actions">
          <LinkButton busy={base.busy} onClick={onFinish}>
            {complete ? t("regDone") : t("regFinishLater")}
          </LinkButton>
        </p>
      )}
    </StepFrame>
  );
}
