import { hashPassword, verifyPassword } from "../crypto/password-hash.js";
import type { KdfParams } from "../crypto/password-hash.js";

/**
 * Answers compare after trimming, folding case and NFKC (spec §3), with inner runs of spaces collapsed,
 * so "  Blue  Whale" and "blue whale" are one answer.
 */
export function normaliseAnswer(answer: string): string {
  return answer.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

export const ANSWER_MIN = 3;
export const ANSWER_MAX = 40;

export const isAnswerLengthOk = (answer: string) => {
  const length = [...normaliseAnswer(answer)].length;
  return length >= ANSWER_MIN && length <= ANSWER_MAX;
};

/** Answers are low-entropy secrets: the slow password KDF, never a fast hash. */
export const hashAnswer = (answer: string, params: KdfParams) => hashPassword(normaliseAnswer(answer), params);
export const verifyAnswer = (answer: string, hash: string) => verifyPassword(normaliseAnswer(answer), hash);

export interface StoredAnswer {
  questionId: string;
  hash: string;
}
