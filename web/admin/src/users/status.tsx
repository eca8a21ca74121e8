import type { AdminUser } from "../../../../shared/api/users.js";
import { stillAhead } from "../format.js";

/** A user's state in words, most urgent first; the colour only repeats what the words say. */
export function statusBadges(u: AdminUser, now = Date.now()): { text: string; tone: "bad" | "warn" | "ok" }[] {
  const badges: { text: string; tone: "bad" | "warn" | "ok" }[] = [];
  if (u.disabled) badges.push({ text: "Disabled", tone: "bad" });
  if (stillAhead(u.lockedUntil, now)) badges.push({ text: "Sign-in locked", tone: "bad" });
  if (stillAhead(u.resetBlockedUntil, now)) badges.push({ text: "Reset blocked", tone: "bad" });
  if (u.mustChangePassword) badges.push({ text: "Must change password", tone: "warn" });
  badges.push(u.registration.complete ? { text: "Registered", tone: "ok" } : { text: u.registration.methods.some((m) => m.status === "active") ? "Partly registered" : "Not registered", tone: "warn" });
  return badges;
}

export function StatusBadges({ user }: { user: AdminUser }) {
  return (
    <ul class="badges">
      {statusBadges(user).map((b) => (
        <li class={`badge ${b.tone}`} key={b.text}>
          {b.text}
        </li>
      ))}
    </ul>
  );
}
