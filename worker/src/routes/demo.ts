import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { isDevelopment } from "../context.js";
import { loginPage, loginPagePolicy } from "../demo/login-page.js";
import { notFound } from "../errors.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";

export const demoRoutes = new Hono<AppEnv>().get("/demo/login", async (c) => {
  if (!isDevelopment(c.env)) throw notFound();
  const [row] = await currentPolicyQuery(c.get("db"));
  c.header("Content-Security-Policy", await loginPagePolicy());
  return c.html(loginPage(policyFromRow(row).orgName));
});
