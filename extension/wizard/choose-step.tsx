import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import type { PublicReset } from "../messaging.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import { chooseButtonLabel, methodLabel } from "./method-label.js";
import { usableMethods, type ResetMethod } from "./state.js";
import type { StepBase } from "./step-props.js";

interface Props {
  base: StepBase;
  reset: PublicReset;
  onChoose: (method: ResetMethod) => void;
  onStartOver: () => void;
}

/** Pick the method to prove with; for the second check only methods of another type are offered. */
export function ChooseStep({ base, reset, onChoose, onStartOver }: Props) {
  const methods = usableMethods(reset);
  const second = reset.verifiedMethodIds.length > 0;
  const [selected, setSelected] = useState(methods[0]?.id ?? "");
  const method = methods.find((m) => m.id === selected);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!base.busy && method) onChoose(method);
  };
  return (
    <StepFrame {...base.frame} title={second ? t("chooseSecondTitle") : t("chooseTitle")} error={base.error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{second ? t("chooseSecondLead") : reset.methodsRequired > 1 ? t("chooseLeadTwo") : t("chooseLead")}</p>
        {methods.length === 0 ? (
          <p>{t("noMethodsLeft")}</p>
        ) : (
          <fieldset class="methods">
            <legend class="visually-hidden">{t("chooseLegend")}</legend>
            {methods.map((m) => (
              <label key={m.id} class={m.id === selected ? "method selected" : "method"}>
                <input type="radio" name="method" value={m.id} checked={m.id === selected} onChange={() => setSelected(m.id)} />
                <span>{methodLabel(m)}</span>
              </label>
            ))}
          </fieldset>
        )}
        {method && <PrimaryButton busy={base.busy}>{chooseButtonLabel(method)}</PrimaryButton>}
      </form>
      <p class="secondary-actions">
        <LinkButton busy={base.busy} onClick={onStartOver}>
          {t("startOver")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
