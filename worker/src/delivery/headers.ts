/**
 * Every email header value is built here (issue 11, item 6: header injection). The schemas already
 * refuse control characters in what reaches a header (org name, display names), but a CR or LF that
 * slipped through would end the Subject line and start a header of its own (`Bcc: …`), and worker-mailer
 * writes an ASCII value as it is. So whatever the input: controls become spaces, non-ASCII text becomes
 * RFC 2047 encoded-words, and an address that is not a plain addr-spec is not sent to at all.
 */
import { CONTROL_CHARACTERS } from "../../../shared/plain-text.js";

/** Runs of the characters the schemas refuse (shared/plain-text.ts). */
const LINE_BREAKING = new RegExp(`${CONTROL_CHARACTERS.source}+`, "gu");

/** The value on one line: runs of controls become one space. */
export const oneLine = (value: string): string => value.replace(LINE_BREAKING, " ").trim();

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** 45 bytes of UTF-8 are 60 base64 characters: with `=?UTF-8?B?` and `?=` a word stays within RFC 2047's 75. */
const WORD_BYTES = 45;

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * RFC 2047 encoded-words (UTF-8, base64) for text that is not printable ASCII, split between characters
 * (never inside one) and separated by spaces, which a reader drops between adjacent encoded-words.
 */
function encodedWords(value: string): string {
  const text = oneLine(value);
  if (PRINTABLE_ASCII.test(text)) return text;
  const encoder = new TextEncoder();
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    if (chunk && encoder.encode(chunk + char).length > WORD_BYTES) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(encoder.encode(w))}?=`).join(" ");
}

/** local@domain with nothing that could end a header or an SMTP command, or open a second address. */
const PLAIN_ADDRESS = /^[^\s<>()[\]\\,;:"@\p{C}]+@[^\s<>()[\]\\,;:"@\p{C}]+$/u;

/** The address as it goes into `To:`, `MAIL FROM` and `RCPT TO`; anything else is a delivery failure, never a send. */
export function plainAddress(value: string): string {
  if (!PLAIN_ADDRESS.test(value)) throw new Error("refused to send to an address that is not a plain addr-spec");
  return value;
}

/** `"Name" <address>`, the name as a quoted string when it is ASCII, else as encoded-words (never quoted: RFC 2047 §5). */
export function mailbox(mb: { name?: string; email: string }): string {
  const address = `<${plainAddress(mb.email)}>`;
  const name = mb.name === undefined ? "" : oneLine(mb.name);
  if (!name) return address;
  const phrase = PRINTABLE_ASCII.test(name) ? `"${name.replace(/[\\"]/g, "\\$&")}"` : encodedWords(name);
  return `${phrase} ${address}`;
}

/** The headers of one message, each a single line of ASCII. */
export function mailHeaders(o: { from: { name?: string; email: string }; to: string; subject: string }): { From: string; To: string; Subject: string } {
  return { From: mailbox(o.from), To: plainAddress(o.to), Subject: encodedWords(o.subject) };
}
