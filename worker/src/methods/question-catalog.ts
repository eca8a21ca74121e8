import type { Policy } from "../../../shared/policy/schema.js";

/**
 * Built-in security questions, written for this project: each asks for something a person remembers,
 * that does not change, and that is not usually on a social-media profile. Custom ones come from the
 * policy. Ids are stable: stored answers refer to them.
 */
export const PREDEFINED_QUESTIONS: readonly { id: string; text: string }[] = [
  { id: "first-concert", text: "What was the first concert you went to?" },
  { id: "childhood-friend", text: "What was the first name of your best friend as a child?" },
  { id: "first-teacher", text: "What was the surname of your first teacher?" },
  { id: "first-car", text: "What was the make and model of your first car or bike?" },
  { id: "childhood-street", text: "What was the name of the street you lived on as a child?" },
  { id: "first-job-town", text: "In which town or city was your first job?" },
  { id: "parents-meeting", text: "In which town or city did your parents meet?" },
  { id: "first-pet", text: "What was the name of your first pet?" },
  { id: "favourite-book-child", text: "What was your favourite book as a child?" },
  { id: "childhood-hero", text: "Who was your childhood hero?" },
  { id: "first-phone-model", text: "What was the model of your first mobile phone?" },
  { id: "grandmother-maiden", text: "What was your maternal grandmother's first name?" },
  { id: "first-holiday", text: "Where did you go on your first holiday abroad?" },
  { id: "oldest-cousin", text: "What is the first name of your oldest cousin?" },
  { id: "first-film-cinema", text: "What was the first film you saw in a cinema?" },
  { id: "childhood-nickname", text: "What was your childhood nickname?" },
  { id: "primary-school", text: "What was the name of your primary school?" },
  { id: "dream-job-child", text: "What did you want to be when you grew up?" },
  { id: "first-album", text: "What was the first album you bought?" },
  { id: "wedding-town", text: "In which town or city was the first wedding you attended?" },
  { id: "favourite-teacher-subject", text: "What subject did your favourite teacher teach?" },
  { id: "first-sport-team", text: "What was the name of the first sports team you played in?" },
];

export function availableQuestions(policy: Policy): { id: string; text: string }[] {
  const custom = policy.securityQuestions.custom.map((q) => ({ id: `custom-${q.id}`, text: q.text }));
  return [...PREDEFINED_QUESTIONS, ...custom];
}
