import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, STRONG_PASSWORD, uniqueName } from "./helpers.js";
import { seedDirectoryUser } from "./support/directory-sync.js";

/** A response's headers as the contract compares answers: all but Date, and Server-Timing's entry names without their durations. */
const answerHeaders = (res: Response) =>
  [...res.headers].filter(([name]) => name !== "date").map(([name, value]) => [name, name === "server-timing" ? value.replace(/dur=[\d.]+/g, "") : value]);
const failures = async (username: string) =>
  (await env.DB.prepare("select failures from sign_in_lockouts where username = ?").bind(username).first<{ failures: number }>())?.failures ?? 0;

/**
 * Directory users stay in D1 after an admin deletes the last agent. No directory can check their
 * passwords then, and their names must not stand out: the same answer and count as an unknown name.
 */
describe("sign-in with no agent enrolled", () => {
  it("a directory user's name gets an unknown name's 401, headers and count", async () => {
    expect((await env.DB.prepare("select count(*) as n from directory_agents").first<{ n: number }>())!.n).toBe(0);
    const user = await seedDirectoryUser();
    const ghost = uniqueName("ghost");
    const known = await callJson("POST", "/v1/sessions", { body: { username: user.username, password: STRONG_PASSWORD } });
    const unknown = await callJson("POST", "/v1/sessions", { body: { username: ghost, password: STRONG_PASSWORD } });
    expect(known.status).toBe(401);
    expect(known.body).toEqual(unknown.body);
    expect(answerHeaders(known.res)).toEqual(answerHeaders(unknown.res));
    expect(await failures(user.username)).toBe(1);
    expect(await failures(ghost)).toBe(1);
  });
});
