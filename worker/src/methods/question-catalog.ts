import type { Locale } from "../../../shared/locale.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { translate } from "../i18n/translate.js";

/**
 * Built-in security questions, written for this project: each asks for something a person remembers,
 * that does not change, and that is not usually on a social-media profile. Custom ones come from the
 * policy. Ids are stable: stored answers refer to them.
 */
const PREDEFINED_QUESTION_IDS = [
  "first-concert",
  "childhood-friend",
  "first-teacher",
  "first-car",
  "childhood-street",
  "first-job-town",
  "parents-meeting",
  "first-pet",
  "favourite-book-child",
  "childhood-hero",
  "first-phone-model",
  "grandmother-maiden",
  "first-holiday",
  "oldest-cousin",
  "first-film-cinema",
  "childhood-nickname",
  "primary-school",
  "dream-job-child",
  "first-album",
  "wedding-town",
  "favourite-teacher-subject",
  "first-sport-team",
] as const;

const customId = (id: string) => `custom-${id}`;

/** The ids of the questions the policy offers now: what a stored answer must refer to for a reset to ask it. */
export function offeredQuestionIds(policy: Pick<Policy, "securityQuestions">): string[] {
  return [...PREDEFINED_QUESTION_IDS, ...policy.securityQuestions.custom.map((q) => customId(q.id))];
}

/** The questions to choose from, the built-in ones in `locale`; an organisation's own stay as it wrote them. */
export function availableQuestions(policy: Policy, locale: Locale = "en"): { id: string; text: string }[] {
  const custom = policy.securityQuestions.custom.map((q) => ({ id: customId(q.id), text: q.text }));
  return [...PREDEFINED_QUESTION_IDS.map((id) => ({ id, text: translate(locale, `question.${id}`) })), ...custom];
}
