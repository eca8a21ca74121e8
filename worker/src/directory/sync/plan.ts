import { z } from "zod";
import type { DirectoryUser } from "../../../../shared/directory/protocol.js";
import { isValidUsername, normaliseUsername, searchFold } from "../../../../shared/username.js";
import { normaliseRoles, uniqueSorted } from "../../admin/access.js";
import { newId } from "../../crypto/random.js";
import { emailHint, phoneHint } from "../../methods/hints.js";
import { toE164Mobile } from "../../methods/phone.js";

/** A user row as the sync needs it to place an incoming entry. */
export interface KnownUser {
  id: string;
  username: string;
  source: "native" | "directory";
  externalId: string | null;
  syncId: string | null;
  directoryContact: Record<string, string | null> | null;
}

/** One users row to write, as the JSON that the sync's statements read with json_each. */
export interface UserRecord {
  id: string;
  externalId: string;
  dn: string;
  username: string;
  displayName: string;
  displayNameFolded: string;
  email: string | null;
  roles: string;
  groups: string;
  disabled: 0 | 1;
  mustChange: 0 | 1;
  changedAt: number | null;
  expiresAt: number | null;
  neverExpires: 0 | 1;
  contact: string;
}

/** A recovery method seeded from a directory attribute. */
export interface SeededMethod {
  id: string;
  userId: string;
  type: "email" | "sms";
  target: string;
  hint: string;
}

export interface SyncPlan {
  updates: UserRecord[];
  inserts: UserRecord[];
  /**
   * Usernames an entry of this page asks for while a directory user this sync has not read yet holds
   * them: settled when the sync finishes (statements.ts finishSync), given at the next sync if free.
   */
  claims: { username: string; holderId: string }[];
  /** Directory-origin methods to delete (the attribute changed or was cleared), by user and type. */
  replacedMethods: { userId: string; type: "email" | "sms" }[];
  seededMethods: SeededMethod[];
  /** Entries not stored, with the reason (the agent's answer, and the sync's errors). */
  skipped: string[];
  /** Entries stored with a problem worth the admin's attention (an attribute that could not be used). */
  notes: string[];
}

const emailShape = z.email().max(254);
const validEmail = (value: string | null) => (value !== null && emailShape.safeParse(value.trim()).success ? value.trim() : null);

/** The directory attributes that seed methods, and the method type each becomes. */
const CONTACT_METHODS = [
  { attribute: "alternateEmail", type: "email" },
  { attribute: "mobile", type: "sms" },
] as const;

/**
 * Where each entry of a page goes. Matched by the directory's stable id first, so a renamed entry
 * keeps its account (methods, history); a name is never taken from a native user (that would hand
 * the directory a break-glass account). A name held by a user this sync has already placed is a
 * duplicate in the directory, and the later entry is skipped. A name held by a directory user this
 * sync has not read yet is only claimed: that holder may still have it on a later page, and taking it
 * now would let any entry that sets its username attribute to someone else's push that account aside
 * (disabled), whenever its page came first. The claimant waits (a new entry is not stored; a renamed
 * one keeps its old name) and the sync's end frees the name if the holder turned out gone or renamed
 * (an entry recreated in the directory, two that swapped names): the next sync gives it.
 */
export function planPage(entries: DirectoryUser[], known: KnownUser[], syncId: string): SyncPlan {
  const byExternalId = new Map(known.filter((u) => u.externalId !== null).map((u) => [u.externalId!, u]));
  const byUsername = new Map(known.map((u) => [u.username, u]));
  const plan: SyncPlan = { updates: [], inserts: [], claims: [], replacedMethods: [], seededMethods: [], skipped: [], notes: [] };
  const placedNames = new Set<string>();
  const placedIds = new Set<string>();
  // An entry that keeps the name it already has goes first, so a newcomer never displaces it.
  const keepsItsName = (e: DirectoryUser) => byExternalId.get(e.externalId)?.username === normaliseUsername(e.username);
  const ordered = [...entries.filter(keepsItsName), ...entries.filter((e) => !keepsItsName(e))];

  for (const entry of ordered) {
    let username = normaliseUsername(entry.username);
    const label = `${entry.username} (${entry.dn})`;
    if (!isValidUsername(username)) {
      plan.skipped.push(`${label}: not a valid username (spaces or control characters).`);
      continue;
    }
    if (placedIds.has(entry.externalId)) {
      plan.skipped.push(`${label}: the same directory entry appears twice in this page.`);
      continue;
    }
    const existing = byExternalId.get(entry.externalId);
    // An entry already stored keeps its current name through a conflict over a new one: skipped, it
    // would count as gone at the sync's end and be disabled.
    const keepOrSkip = (reason: string): "kept" | "skipped" => {
      if (existing && !placedNames.has(existing.username)) {
        plan.notes.push(`${label}: ${reason}; it keeps the username ${existing.username} for now.`);
        username = existing.username;
        return "kept";
      }
      plan.skipped.push(`${label}: ${reason}.`);
      return "skipped";
    };
    const holder = byUsername.get(username);
    const heldByOther = holder && holder.id !== existing?.id ? holder : undefined;
    if (placedNames.has(username) || (heldByOther?.source === "directory" && heldByOther.syncId === syncId)) {
      if (keepOrSkip(`another directory entry has the username ${username}`) === "skipped") continue;
    } else if (heldByOther?.source === "native") {
      if (keepOrSkip(`the username ${username} belongs to a user created in OpenSSPR; rename one of them`) === "skipped") continue;
    } else if (heldByOther) {
      plan.claims.push({ username, holderId: heldByOther.id });
      const wait = `the username ${username} belongs to another directory entry not read yet in this sync; if that entry no longer has it, this one gets it at the next sync`;
      if (keepOrSkip(wait) === "skipped") continue;
    }
    placedNames.add(username);
    placedIds.add(entry.externalId);

    const id = existing?.id ?? newId("usr");
    const mobile = entry.mobile === null ? null : toE164Mobile(entry.mobile);
    if (entry.mobile !== null && mobile === null) plan.notes.push(`${label}: the mobile number ${entry.mobile} is not a mobile number in international form (+…); no SMS method from it.`);
    const alternateEmail = validEmail(entry.alternateEmail);
    if (entry.alternateEmail !== null && alternateEmail === null) plan.notes.push(`${label}: the alternate email ${entry.alternateEmail} is not an email address; no email method from it.`);
    const contact = { email: entry.email, alternateEmail: entry.alternateEmail, mobile: entry.mobile };
    const usable = { alternateEmail, mobile };
    for (const { attribute, type } of CONTACT_METHODS) {
      // Compared with the attribute as last synced: unchanged means the user's choice stands (a
      // seeded method they deleted is not brought back).
      if (existing && (existing.directoryContact?.[attribute] ?? null) === contact[attribute]) continue;
      if (existing) plan.replacedMethods.push({ userId: id, type });
      const target = usable[attribute];
      if (target !== null) plan.seededMethods.push({ id: newId("mth"), userId: id, type, target, hint: type === "sms" ? phoneHint(target) : emailHint(target) });
    }
    const record: UserRecord = {
      id,
      externalId: entry.externalId,
      dn: entry.dn,
      username,
      displayName: entry.displayName,
      displayNameFolded: searchFold(entry.displayName),
      email: validEmail(entry.email),
      roles: JSON.stringify(normaliseRoles(entry.roles)),
      groups: JSON.stringify(uniqueSorted(entry.groups)),
      disabled: entry.disabled ? 1 : 0,
      mustChange: entry.mustChangePassword ? 1 : 0,
      changedAt: entry.passwordChangedAt,
      expiresAt: entry.passwordNeverExpires ? null : entry.passwordExpiresAt,
      neverExpires: entry.passwordNeverExpires ? 1 : 0,
      contact: JSON.stringify(contact),
    };
    (existing ? plan.updates : plan.inserts).push(record);
  }
  return plan;
}
