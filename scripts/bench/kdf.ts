/**
 * The password KDF as the worker runs it: `kdf;dur=` of Server-Timing on sign-in (the hash check), and
 * the sign-in endpoint's latency. One request at a time, spread over the demo accounts (successful
 * sign-ins never count towards lockout anyway), plus unknown usernames, which must cost the same.
 */
import { DEMO_ACCOUNTS } from "../seed-demo.js";
import type { Client } from "./http.js";
import { outcomeOf, serverTiming } from "./http.js";
import type { Stats } from "./load.js";
import { stats } from "./load.js";

export interface KdfFigures {
  profile: string;
  /** Time per hash inside workerd, from Server-Timing on successful sign-ins. */
  kdf: Stats;
  /** Sign-in latency (client side) of the same requests. */
  signIn: Stats;
  /** Unknown usernames: the dummy hash run, for the equal-work rule (spec §9). */
  unknownKdf: Stats;
  unknownSignIn: Stats;
  outcomes: Record<string, number>;
}

export async function benchKdf(client: Client, o: { signIns: number; unknown: number; tag: string; profile: string }): Promise<KdfFigures> {
  const kdf: number[] = [];
  const latency: number[] = [];
  const unknownKdf: number[] = [];
  const unknownLatency: number[] = [];
  const outcomes: Record<string, number> = {};
  const record = (outcome: string) => (outcomes[outcome] = (outcomes[outcome] ?? 0) + 1);
  for (let i = 0; i < o.signIns; i++) {
    const account = DEMO_ACCOUNTS[i % DEMO_ACCOUNTS.length]!;
    const reply = await client.json("POST", "/v1/sessions", { body: { username: account.username, password: account.password } });
    record(`known: ${outcomeOf(reply)}`);
    if (reply.status !== 201) continue;
    latency.push(reply.ms);
    const t = serverTiming(reply.headers).kdfMs;
    if (t !== null) kdf.push(t);
  }
  for (let i = 0; i < o.unknown; i++) {
    const reply = await client.json("POST", "/v1/sessions", { body: { username: `nobody-kdf-${o.tag}-${i}@bench.example`, password: "not-a-real-password-at-all" } });
    record(`unknown: ${outcomeOf(reply)}`);
    unknownLatency.push(reply.ms);
    const t = serverTiming(reply.headers).kdfMs;
    if (t !== null) unknownKdf.push(t);
  }
  return { profile: o.profile, kdf: stats(kdf), signIn: stats(latency), unknownKdf: stats(unknownKdf), unknownSignIn: stats(unknownLatency), outcomes };
}
