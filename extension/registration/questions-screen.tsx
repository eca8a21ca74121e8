import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import type { Answer } from "../resets-api.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import { BackRow } from "./back-row.js";
import type { ErrorView } from "../wizard/errors.js";
import type { ScreenBase } from "./screen-props.js";
import type { QuestionList } from "./view.js";

interface Props {
  base: ScreenBase;
  list: QuestionList;
  count: number;
  onSave: (answers: Answer[]) => void;
  onBack: () => void;
}

/** Spec §3: 3–40 characters, compared after trimming, folding case and collapsing spaces. */
const MIN = 3;
const MAX = 40;
const fold = (s: string) => s.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");

/** What is wrong with the choices, checked before sending (the worker checks again). */
export function checkAnswers(choices: string[], answers: string[]): string | null {
  if (choices.some((c) => !c)) return t("regErrorChooseQuestions");
  if (new Set(choices).size !== choices.length) return t("regErrorSameQuestion");
  if (answers.some((a) => a.trim().length < MIN || a.trim().length > MAX)) return t("errorAnswerLength", MIN, MAX);
  if (new Set(answers.map(fold)).size !== answers.length) return t("regErrorSameAnswer");
  return null;
}

/** Choose `count` different questions from the list and answer each (only if the policy offers them). */
export function QuestionsScreen({ base, list, count, onSave, onBack }: Props) {
  const [choices, setChoices] = useState<string[]>(() => Array.from({ length: count }, (_, i) => list.registered[i] ?? ""));
  const [answers, setAnswers] = useState<string[]>(() => Array.from({ length: count }, () => ""));
  const [local, setLocal] = useState<ErrorView | null>(null);
  const set = (which: "q" | "a", i: number, value: string) =>
    (which === "q" ? setChoices : setAnswers)((prev) => prev.map((v, j) => (j === i ? value : v)));

  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    const problem = checkAnswers(choices, answers);
    if (problem) return setLocal({ message: problem });
    setLocal(null);
    onSave(choices.map((questionId, i) => ({ questionId, answer: answers[i]!.trim() })));
  };
  const error = local ?? base.error;
  return (
    <StepFrame {...base.frame} title={t("regQuestionsTitle")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead" id="questions-lead">
          {t("regQuestionsLead", count)}
        </p>
        {choices.map((chosen, i) => (
          <fieldset key={i} class="question">
            <legend>{t("regQuestionN", i + 1)}</legend>
            <label for={`question-${i}`}>{t("regQuestionLabel")}</label>
            <select id={`question-${i}`} value={chosen} onChange={(e) => set("q", i, e.currentTarget.value)}>
              <option value="">{t("regChooseQuestion")}</option>
              {list.questions
                .filter((q) => q.id === chosen || !choices.includes(q.id))
                .map((q) => (
                  <option key={q.id} value={q.id}>
                    {q.text}
                  </option>
                ))}
            </select>
            <label for={`answer-${i}`}>{t("regAnswerLabel")}</label>
            <input
              id={`answer-${i}`}
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={answers[i]}
              aria-describedby="questions-lead"
              onInput={(e) => set("a", i, e.currentTarget.value)}
            />
          </fieldset>
        ))}
        <PrimaryButton busy={base.busy}>{t("regSaveAnswers")}</PrimaryButton>
      </form>
      <BackRow busy={base.busy} onBack={onBack} />
    </StepFrame>
  );
}
