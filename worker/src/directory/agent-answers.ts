import { ApiError, directoryUnavailable } from "../errors.js";
import type { AgentOutcome } from "./agent/job-types.js";

/*
 * How the agent's answers become the contract's (directory.md "Behaviour"). One module, so every flow
 * answers a directory's refusal the same way and no flow reads an agent's reason itself.
 */

/** For a write: the user (or admin) must know that trying again is safe. */
const NOTHING_CHANGED = "The organisation's directory cannot be reached right now. Nothing was changed; try again in a few minutes.";

const DEFAULT_POLICY_MESSAGE = "Your organisation's directory does not accept this password. Choose a different one.";

/** The directory's own rules refused the password: shown to the user as the rule "directory". */
export const directoryPolicyRefusal = (message: string) =>
  new ApiError(422, "password_policy", "The new password does not meet the password rules.", [
    { rule: "directory", message: message.trim() || DEFAULT_POLICY_MESSAGE },
  ]);

/**
 * The agent's message is for the admin's log (its `error` answers name LDAP results); it never holds a
 * password, which crosses only sealed. Users are shown the contract's words instead.
 */
export function logAgentFailure(what: string, outcome: AgentOutcome) {
  if (!outcome.ok) console.error(`directory ${what}: ${outcome.reason}: ${outcome.message}`);
}

/** A bind (sign-in, re-authentication) as the flows see it. */
export type BindAnswer =
  /** The directory accepted the password; `mustChange` when it wants a new one first (expired, reset flag). */
  | { kind: "right"; mustChange: boolean }
  /** A wrong password, or one the directory refuses to sign in with (locked, disabled, gone): one answer, counted. */
  | { kind: "wrong" }
  /** No agent, no answer in time, or an error the agent could not classify: not the user's guess. */
  | { kind: "unavailable" };

export function bindAnswer(outcome: AgentOutcome): BindAnswer {
  if (outcome.ok) return { kind: "right", mustChange: false };
  switch (outcome.reason) {
    case "must_change":
    case "expired":
      return { kind: "right", mustChange: true };
    case "invalid_credentials":
    case "locked":
    case "disabled":
    case "not_found":
      return { kind: "wrong" };
    default:
      logAgentFailure("bind", outcome);
      return { kind: "unavailable" };
  }
}

/** A password set: done, or the current password was wrong (a change); every other answer is thrown. */
export type SetAnswer = { kind: "set" } | { kind: "wrong_current" };

export function setAnswer(outcome: AgentOutcome, mode: "reset" | "admin" | "change"): SetAnswer {
  if (outcome.ok) return { kind: "set" };
  if (outcome.reason === "policy") throw directoryPolicyRefusal(outcome.message);
  // A change binds with the current password: a wrong one may come back as a failed bind.
  if (mode === "change" && (outcome.reason === "wrong_current" || outcome.reason === "invalid_credentials")) return { kind: "wrong_current" };
  logAgentFailure(`password set (${mode})`, outcome);
  throw directoryUnavailable(NOTHING_CHANGED);
}

/**
 * An unlock: done, or a refusal that is the directory's to lift (an administrator's lock means
 * disabled there; an entry gone). No agent or an error: 503, nothing changed.
 */
export function unlockAnswer(outcome: AgentOutcome): void {
  if (outcome.ok) return;
  if (outcome.reason === "disabled") {
    throw new ApiError(409, "managed_by_directory", "The directory disables this account (an administrator's lock there). Enable it in the directory.");
  }
  if (outcome.reason === "not_found") {
    throw new ApiError(409, "managed_by_directory", "This account is no longer in the directory; the next sync disables it here.");
  }
  logAgentFailure("unlock", outcome);
  throw directoryUnavailable(NOTHING_CHANGED);
}
