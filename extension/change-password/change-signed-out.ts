import type { ApiResult } from "../api-client.js";
import { changeOwnPassword, createSession, endSession } from "../registration-api.js";

/**
 * A change with no session yet: sign in for this one change, and sign out whatever happens. A
 * temporary or expired password signs in too (a session that can only change it), so this is also
 * where such a password gets replaced.
 */
export async function changeSignedOut(baseUrl: string, username: string, currentPassword: string, newPassword: string): Promise<ApiResult<null>> {
  const session = await createSession(baseUrl, username, currentPassword);
  if (!session.ok) return session;
  try {
    return await changeOwnPassword(baseUrl, session.value.token, currentPassword, newPassword);
  } finally {
    void endSession(baseUrl, session.value.token).catch(() => undefined);
  }
}
