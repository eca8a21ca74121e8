import type { User } from "../../../shared/api/users.js";

/** The signed-in admin's session: in sessionStorage (this tab only, gone when it closes), never localStorage. */
export interface AdminSession {
  token: string;
  expiresAt: string;
  user: User;
}

const KEY = "opensspr.admin.session";

export function loadSession(now = Date.now()): AdminSession | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as AdminSession;
    if (Date.parse(session.expiresAt) > now) return session;
  } catch {
    // unreadable: treat as signed out
  }
  sessionStorage.removeItem(KEY);
  return null;
}

export function saveSession(session: AdminSession): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

export const isGlobalAdmin = (user: User) => user.roles.includes("global_admin");
export const isAdmin = (user: User) => isGlobalAdmin(user) || user.roles.includes("password_admin");

/** api.md: a password_admin may act only on accounts without admin roles. */
export const mayActOn = (actor: User, target: { roles: readonly string[] }) => isGlobalAdmin(actor) || !isAdmin({ roles: target.roles } as User);
