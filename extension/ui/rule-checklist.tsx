import type { PasswordRuleHit } from "../../shared/password/index.js";
import { t } from "../i18n.js";

type State = "todo" | "met" | "unmet" | "info";
const MARK: Record<State, string> = { todo: "•", met: "✓", unmet: "✗", info: "i" };

/**
 * The policy's rules as a checklist that ticks off as the user types (spec §4, §10). Each state is
 * a mark and words, not only a colour. "history" is only known to the worker, so it stays a note.
 */
export function RuleChecklist({ id, rules, hits, started }: { id: string; rules: PasswordRuleHit[]; hits: PasswordRuleHit[]; started: boolean }) {
  return (
    <ul id={id} class="rules">
      {rules.map(({ rule, message }) => {
        const state: State = rule === "history" ? "info" : !started ? "todo" : hits.some((h) => h.rule === rule) ? "unmet" : "met";
        return (
          <li key={rule} class={`rule ${state}`}>
            <span class="mark" aria-hidden="true">
              {MARK[state]}
            </span>
            <span>
              {message}
              {(state === "met" || state === "unmet") && (
                <span class="visually-hidden"> {state === "met" ? t("ruleMet") : t("ruleNotMet")}</span>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
