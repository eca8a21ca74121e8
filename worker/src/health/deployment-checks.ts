import type { Policy } from "../../../shared/policy/schema.js";
import type { Db } from "../context.js";
import { globalAdminExistsQuery } from "../flows/setup.js";
import { directory } from "../directory/directory.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";

export interface DeploymentCheck {
  id: string;
  ok: boolean;
  /** What is wrong and what to do, for the operator; empty when ok. */
  message: string;
}

interface Facts {
  env: Env;
  policy: Pick<Policy, "methods" | "signInPages">;
  globalAdminExists: boolean;
  agentsEnrolled: boolean;
  agentConnected: boolean;
}

const EXTENSION_ORIGIN = /^(chrome|moz|safari-web)-extension:\/\//;

/**
 * What a deployment needs before people can use it (issue 16: the steps a first deploy most often
 * misses). Pure, so each rule is tested on its own; `deploymentChecks` gathers the facts.
 */
export function checkDeployment(f: Facts): DeploymentCheck[] {
  const check = (id: string, ok: boolean, message: string): DeploymentCheck => ({ id, ok, message: ok ? "" : message });
  const origins = (f.env.ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim());
  const smsOffered = f.policy.methods.available.includes("sms");
  return [
    check("secret_key", (f.env.SECRET_KEY ?? "").length >= 32, "SECRET_KEY is missing or shorter than 32 characters: `openssl rand -base64 48 | npx wrangler secret put SECRET_KEY`."),
    check(
      "first_admin",
      f.globalAdminExists || !!f.env.SETUP_TOKEN,
      "There is no global admin and no SETUP_TOKEN: set one with `npx wrangler secret put SETUP_TOKEN`, then create the first admin with POST /v1/setup.",
    ),
    check("setup_token_removed", !(f.globalAdminExists && f.env.SETUP_TOKEN), "A global admin exists but SETUP_TOKEN is still set: `npx wrangler secret delete SETUP_TOKEN`."),
    check(
      "allowed_origins",
      origins.some((o) => EXTENSION_ORIGIN.test(o)),
      "ALLOWED_ORIGINS names no extension origin, so the browser extension cannot call the worker: add chrome-extension://<your extension's id> in wrangler.toml [vars].",
    ),
    check(
      "email_transport",
      (f.env.EMAIL_TRANSPORT ?? "none") !== "none",
      "EMAIL_TRANSPORT is none: no email is sent (codes, notices). Set smtp or http and its settings (docs/configuration.md).",
    ),
    check("sms_transport", !smsOffered || (f.env.SMS_TRANSPORT ?? "none") !== "none", "The policy offers SMS but SMS_TRANSPORT is none: no text is sent. Set twilio and its settings, or remove sms from methods.available."),
    check("sign_in_pages", f.policy.signInPages.length > 0, "The policy lists no signInPages, so the extension prompts nobody to register: PATCH /v1/admin/policy with your sign-in page patterns."),
    check("directory_agent", !f.agentsEnrolled || f.agentConnected, "A directory agent is enrolled but none is connected: directory users cannot sign in or reset. Check the agent's log."),
  ];
}

export async function deploymentChecks(env: Env, db: Db): Promise<DeploymentCheck[]> {
  const [policyRows, adminRows, agentRows] = await db.batch([
    currentPolicyQuery(db),
    globalAdminExistsQuery(db),
    directory.usesAgents(db),
  ]);
  const agentsEnrolled = agentRows.length > 0;
  return checkDeployment({
    env,
    policy: policyFromRow(policyRows[0]),
    globalAdminExists: !!adminRows[0]?.exists,
    agentsEnrolled,
    agentConnected: agentsEnrolled && (await directory.agentReachable(env)),
  });
}

let reported = false;

/**
 * Workers have no start-up hook: the first request an isolate serves in production logs what is
 * missing (visible in `wrangler tail` and the dashboard's logs), once per isolate.
 */
export function reportDeploymentOnce(env: Env, db: () => Db, waitUntil: (p: Promise<unknown>) => void): void {
  if (reported || env.ENVIRONMENT !== "production") return;
  reported = true;
  waitUntil(
    deploymentChecks(env, db()).then(
      (checks) => {
        for (const c of checks) if (!c.ok) console.warn(`OpenSSPR setup: ${c.message}`);
      },
      (e: unknown) => console.warn(`OpenSSPR setup: the deployment checks could not run (${e instanceof Error ? e.message : String(e)})`),
    ),
  );
}
