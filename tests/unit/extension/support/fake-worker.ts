import { vi } from "vitest";
import type { PublicConfig } from "../../../../shared/api/config.js";

/**
 * A fetch stand-in that answers like the worker (api.md), route by route, so component tests go
 * through the real background handlers, api-client and zod validation. Unrouted calls fail the test.
 */
export const WORKER = "https://sspr.example.test";

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Route = Reply | ((body: unknown, init: RequestInit) => Reply);

export const CONFIG: PublicConfig = {
  orgName: "Example Corp",
  selfServiceReset: { enabledFor: "all", allowUnlock: true },
  methods: { required: 1, available: ["email", "sms", "totp"], smsCountries: [] },
  securityQuestions: { numberToRegister: 3, numberToReset: 3 },
  registration: { requireOnSignIn: true, reconfirmDays: 180, skipsAllowed: 3 },
  passwordPolicy: { minLength: 15, maxLength: 256, requiredCharacterClasses: 0, blockCommonPasswords: true, historyCount: 0, expiry: { days: null, notifyDaysBefore: 14 } },
  helpdesk: { url: "https://help.example.test/it", email: "it@example.test" },
  signInPages: [],
};

export const EMAIL = { id: "mth_email", type: "email" as const, hint: "j•••@e•••.com" };
export const SMS = { id: "mth_sms", type: "sms" as const, hint: "•••••••1234" };
export const TOTP = { id: "mth_totp", type: "totp" as const, hint: "Authenticator app" };
export const QUESTIONS = { id: "mth_sq", type: "security_questions" as const, hint: "3 questions" };

export function reset(over: Partial<{ purpose: "reset" | "unlock"; methodsRequired: number; methods: object[]; verifiedMethodIds: string[]; status: string; resetToken: string }> = {}) {
  return {
    resetId: "rst_1",
    purpose: "reset",
    status: "verifying",
    methodsRequired: 1,
    methods: [EMAIL, SMS, TOTP],
    verifiedMethodIds: [],
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    ...over,
  };
}

export const started = (over: Parameters<typeof reset>[0] = {}): Reply => ({ status: 201, body: reset({ resetToken: "tok_secret", ...over }) });
export const challenge = (methodId: string, type: string, questions?: { id: string; text: string }[]): Reply => ({
  status: 202,
  body: { challenge: { methodId, type, expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(), ...(questions ? { questions } : {}) } },
});
export const apiError = (status: number, code: string, extra: { details?: object[]; retryAfter?: number } = {}): Reply => ({
  status,
  body: { error: { code, message: `worker says ${code}`, ...(extra.details ? { details: extra.details } : {}) } },
  ...(extra.retryAfter !== undefined ? { headers: { "Retry-After": String(extra.retryAfter) } } : {}),
});

export interface FakeWorker {
  /** Sets the answer(s) for "METHOD /path"; a list is answered in order, the last one repeating. */
  on(route: string, ...replies: Route[]): FakeWorker;
  calls: { route: string; body: unknown; headers: Record<string, string> }[];
}

export function fakeWorker(): FakeWorker {
  const routes = new Map<string, Route[]>([["GET /v1/config", [{ status: 200, body: CONFIG }]]]);
  const calls: FakeWorker["calls"] = [];
  const fetchMock = vi.fn(async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const route = `${init.method ?? "GET"} ${url.pathname}`;
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ route, body, headers: (init.headers ?? {}) as Record<string, string> });
    const queue = routes.get(route);
    if (!queue?.length) throw new Error(`fake worker: no route for ${route}`);
    const next = queue.length > 1 ? queue.shift()! : queue[0]!;
    const reply = typeof next === "function" ? next(body, init) : next;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { "Content-Type": "application/json", ...reply.headers },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  const worker: FakeWorker = {
    calls,
    on(route, ...replies) {
      routes.set(route, replies);
      return worker;
    },
  };
  return worker;
}

/** The network is down: every request rejects the way fetch does. */
export function networkDown(): void {
  vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
}
