import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n.js";
import type { Answer, Challenge } from "../resets-api.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import type { ErrorView } from "./errors.js";
import type { StepBase } from "./step-props.js";

/** Spec §3: answers are 3–40 characters, compared after trimming and folding case. */
const MIN = 3;
const MAX = 40;

interface Props {
  base: StepBase;
  challenge: Challenge;
  onVerify: (answers: Answer[]) => void;
  onBack: () => void;
}

/** Answer the questions the worker picked. After a wrong answer (a new draw, often the same questions) the fields start empty. */
export function QuestionsStep({ base, challenge, onVerify, onBack }: Props) {
  const questions = challenge.questions ?? [];
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [local, setLocal] = useState<ErrorView | null>(null);
  // A new draw after a wrong answer: clear the old answers and start again at the first field, in
  // the same render (layout effect) so answers typed as soon as the questions show are kept.
  const asked = useRef(challenge);
  useLayoutEffect(() => {
    if (asked.current === challenge) return;
    asked.current = challenge;
    setAnswers({});
    document.getElementById("answer-0")?.focus();
  }, [challenge]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    const filled = questions.map((q) => ({ questionId: q.id, answer: (answers[q.id] ?? "").trim() }));
    if (filled.some((a) => a.answer.length < MIN || a.answer.length > MAX)) return setLocal({ message: t("errorAnswerLength", MIN, MAX) });
    setLocal(null);
    onVerify(filled);
  };
  const error = local ?? base.error;
  return (
    <StepFrame {...base.frame} title={t("questionsTitle")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead" id="questions-hint">
          {t("questionsLead")}
        </p>
        {questions.map((q, i) => (
          <div key={q.id} class="field">
            <label for={`answer-${i}`}>{q.text}</label>
            <input
              id={`answer-${i}`}
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={answers[q.id] ?? ""}
              aria-describedby="questions-hint"
              onInput={(e) => {
                const value = e.currentTarget.value;
                setAnswers((prev) => ({ ...prev, [q.id]: value }));
              }}
            />
          </div>
        ))}
        <PrimaryButton busy={base.busy}>{t("verify")}</PrimaryButton>
      </form>
      <p class="secondary-actions">
        <LinkButton busy={base.busy} onClick={onBack}>
          {t("useAnotherMethod")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
