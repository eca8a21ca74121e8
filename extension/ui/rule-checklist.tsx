import type { PasswordRule, PasswordRuleHit } from "../../shared/password/rules.js";
import { t, type MessageKey } from "../i18n.js";

type State = "todo" | "met" | "unmet" | "checking" | "info";
const MARK: Record<State, string> = { todo: "•", met: "✓", unmet: "✗", checking: "…", info: "i" };
const SPOKEN: Partial<Record<State, MessageKey>> = { met: "ruleMet", unmet: "ruleNotMet", checking: "ruleChecking" };

/**
 * The policy's rules as a checklist that ticks off as the user types (spec §4, §10). Each state is
 * a mark and words, not only a colour. "history" is only known to the worker, so it stays a note;
 * a `pending` rule (its data still loading) is "checking", never ticked before it was checked.
 */
export function RuleChecklist(props: { id: string; rules: PasswordRuleHit[]; hits: PasswordRuleHit[]; pending?: PasswordRule[]; started: boolean }) {
  const { id, rules, hits, pending = [], started } = props;
  const stateOf = (rule: PasswordRule): State => {
    if (rule === "history") return "info";
    if (!started) return "todo";
    if (hits.some((h) => h.rule === rule)) return "unmet";
    return pending.includes(rule) ? "checking" : "met";
  };
  return (
    <ul id={id} class="rules">
      {rules.map(({ rule, message }) => {
        const state = stateOf(rule);
        const spoken = SPOKEN[state];
        return (
          <li key={rule} class={`rule ${state}`}>
            <span class="mark" aria-hidden="true">
              {MARK[state]}
            </span>
            <span>
              {message}
              {spoken && <span class="visually-hidden"> {t(spoken)}</span>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
