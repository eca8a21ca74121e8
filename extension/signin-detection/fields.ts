import { norm } from "./keywords.js";
import type { FieldSnapshot } from "./types.js";

/**
 * What one field is for. Autocomplete tokens win (the site said so); then the field's own words
 * (name, id, placeholder, aria-label, label). Order matters: "email address" is a username, not an address.
 */
export type FieldKind =
  | "user" | "email" | "tel" | "text" // could carry a sign-in identifier
  | "current" | "password" | "pin" | "new" | "confirm" // password inputs
  | "search" | "otp" | "card" | "name" | "address" | "captcha" | "other" | "select" | "textarea" | "hidden";

const USER =
  /\b(user|usr|login|log in|e ?mail|mail\b|account|acct|identifi|ident|uid|member|customer (id|number|no)|client (id|number)|benutzer|nutzer|anmeldename|kennung|kundennummer|utilisateur|courriel|usuario|correo|utente|gebruiker|uzytkownik|anvandar|e post|epost|mejl)/;
const EMAIL = /\b(e ?mail|mail\b|courriel|correo|e post|epost|mejl)/;
const SEARCH_WORDS = /\b(search|suche|such|recherche|rechercher|buscar|busca|busqueda|cerca|zoek|zoeken|pesquis|szukaj|wyszukaj|sok)\b/;
const SEARCH_NAME = /^(q|s|query|search|keywords?|term|search_?query|searchterm)$/i;
const OTHER =
  /\b(promo|coupon|voucher|gift|discount|gutschein|rabatt|cupon|sconto|korting|cupom|kupon|rabattkod|subject|betreff|objet|asunto|oggetto|onderwerp|assunto|temat|amne|company|firma|organi[sz]ation|entreprise|empresa|azienda|bedrijf|website|homepage|url|quantity|qty|menge|birth|geburt|naissance|nacimiento|nascita|geboorte|nascimento|urodzenia|fodelse|age|date|datum|fecha|data)\b/;
const CAPTCHA = /captcha|security check|characters|sicherheitsabfrage/;
const CARD =
  /\b(card|cc|cvv|cvc|csc|expir|exp|mm ?yy|kreditkarte|karten|carte|tarjeta|carta|kaart|cartao|karty|kort|iban|bic)\b|cc ?num|cardnumber/;
const ADDRESS =
  /address|street|strasse|city|zip|postal|postcode|post code|plz|postleitzahl|\bort\b|wohnort|hausnummer|adresse|\brue\b|ville|direccion|calle|ciudad|provincia|indirizzo|citta|\bcap\b|\badres\b|straat|plaats|endereco|cidade|\bcep\b|bairro|ulica|miasto|pocztowy|gatuadress|postnummer|country|\bland\b|pays|\bpais\b|paese|\bstate\b|region|province|county|apartment|suite/;
const OTP = /\b(otp|one time|onetime|totp|2fa|mfa|code|codigo|codice|kod|pin|token|passcode|verification|verif|sms|tan)\b/;
const NAME =
  /\b((first|last|full|given|family|middle|sur|display|nick|your) ?name|fname|lname|name|vorname|nachname|prenom|nom|nombre|apellidos?|nome|cognome|voornaam|achternaam|naam|imie|nazwisko|fornamn|efternamn|namn)\b/;
const PHONE = /\b(tel|phone|mobile|cell|handy|telefon|telephone|portable|telefono|movil|cellulare|telefoon|mobiel|celular|telefone|komorka|mobil)/;

const CONFIRM_P =
  /confirm|repeat|retype|re ?enter|again|verify|bestatig|wiederhol|confirme|repet|ripet|herhaal|bevestig|powtorz|upprepa|bekrafta|\b(password|pass|pwd|passwort) ?2\b/;
const NEW_P =
  /\b(new|neu|neues|neue|nouveau|nouvelle|nueva|nuevo|nuova|nuovo|nieuw|nieuwe|nova|novo|nowe|nytt|create|choose)\b|\b(password|pass|pwd) ?1\b/;
const CURRENT_P =
  /\b(current|old|existing|aktuell|alt|altes|bisherig|actuel|ancien|actual|anterior|attuale|vecchia|huidig|oud|atual|antiga|obecne|stare|nuvarande|gammalt)/;
const OTP_P = /\b(otp|one time|totp|2fa|mfa|code|token|passcode|verification|tan)\b/;

const NAME_AC = /^(name|given-name|family-name|additional-name|nickname|honorific-prefix|honorific-suffix)$/;
const ADDRESS_AC = /^(street-address|address-line\d|address-level\d|postal-code|country|country-name)$/;
const OTHER_AC = /^(bday|bday-day|bday-month|bday-year|organization|organization-title|sex|url|photo|language|transaction-amount)$/;

export function fieldHint(f: FieldSnapshot): string {
  return norm(`${f.name} ${f.id} ${f.placeholder} ${f.ariaLabel} ${f.label}`);
}

export function fieldKind(f: FieldSnapshot): FieldKind {
  const ac = f.autocomplete.split(/\s+/);
  const hasAc = (re: RegExp) => ac.some((t) => re.test(t));
  const h = fieldHint(f);
  if (f.type === "hidden") return "hidden";
  if (f.tag !== "input") return f.tag;
  if (f.type === "password" || ac.includes("current-password") || ac.includes("new-password")) {
    if (ac.includes("one-time-code") || OTP_P.test(h)) return "otp";
    if (ac.includes("new-password")) return CONFIRM_P.test(h) ? "confirm" : "new";
    if (ac.includes("current-password")) return "current";
    if (CONFIRM_P.test(h)) return "confirm";
    if (CURRENT_P.test(h)) return "current";
    if (NEW_P.test(h)) return "new";
    // Short numeric secrets: a bank PIN beside a customer number, or a second-step PIN on its own.
    if (/\bpin\b/.test(h) || f.inputMode === "numeric" || (f.maxLength > 0 && f.maxLength <= 8)) return "pin";
    return "password";
  }
  if (f.type === "search" || ac.includes("search") || SEARCH_NAME.test(f.name) || SEARCH_NAME.test(f.id)) return "search";
  if (ac.includes("username")) return "user";
  if (ac.includes("email")) return "email";
  if (ac.includes("one-time-code")) return "otp";
  if (hasAc(/^cc-/)) return "card";
  if (hasAc(NAME_AC)) return "name";
  if (hasAc(ADDRESS_AC)) return "address";
  if (hasAc(/^tel/)) return "tel";
  if (hasAc(OTHER_AC)) return "other";
  if (SEARCH_WORDS.test(h)) return "search";
  if (CAPTCHA.test(h)) return "captcha";
  if (USER.test(h)) return f.type === "email" || EMAIL.test(h) ? "email" : "user";
  if (f.type === "email") return "email";
  if (OTHER.test(h)) return "other";
  if (CARD.test(h)) return "card";
  if (ADDRESS.test(h)) return "address";
  if (OTP.test(h)) return "otp";
  if (NAME.test(h)) return "name";
  if (f.type === "tel" || PHONE.test(h)) return "tel";
  return f.type === "text" || f.type === "" ? "text" : "other";
}

export const PASSWORD_KINDS: ReadonlySet<FieldKind> = new Set(["current", "password", "pin", "new", "confirm"]);
export const IDENTIFIER_KINDS: ReadonlySet<FieldKind> = new Set(["user", "email", "tel", "text"]);
