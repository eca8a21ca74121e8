import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../scripts/seed-demo.js";
import { api, nextCode, seenCodes, signIn } from "./support/api.js";
import { expectNoSeriousA11yViolations } from "./support/axe.js";
import { screenshotBothSchemes } from "./support/browser.js";
import { launchForWebPages, openConsoleAs, type WebBrowser } from "./support/web-browser.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

const account = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!;
const admin = account("admin@demo.example");
const jane = account("jane@demo.example");
const sam = account("sam@demo.example");

/** More policy saves than one page of the log holds (50), so "Show older events" has something to show. */
const POLICY_SAVES = 52;

interface ResetBody {
  resetId: string;
  resetToken: string;
  methods: { id: string; type: string }[];
}

let worker: TestWorker;
let browser: WebBrowser;
let adminToken: string;

/** Starts Jane's reset and sends its email code; returns what the next step needs. */
async function startJaneReset(seen: Set<string>) {
  const start = await api<ResetBody>(worker.url, "POST", "/v1/resets", { username: jane.username });
  expect(start.status).toBe(201);
  const { resetId, resetToken, methods } = start.body;
  const email = methods.find((m) => m.type === "email")!;
  expect((await api(worker.url, "POST", `/v1/resets/${resetId}/challenges`, { methodId: email.id }, resetToken)).status).toBe(202);
  return { resetId, resetToken, methodId: email.id, code: await nextCode(worker.url, jane.username, seen) };
}

// Longer than the config's 90 s: on a busy shared machine the worker's first start has taken more.
beforeAll(async () => {
  worker = await startTestWorker();
  browser = await launchForWebPages();
}, 180_000);

beforeAll(async () => {
  adminToken = await signIn(worker.url, admin.username, admin.password);
  // Oldest first: policy saves (one after another: concurrent saves conflict), then a failed and a
  // completed reset, then a failed sign-in (newest).
  for (let i = 0; i < POLICY_SAVES; i++) expect((await api(worker.url, "PATCH", "/v1/admin/policy", { orgName: `Demo Org ${i}` }, adminToken)).status).toBe(200);
  const seen = await seenCodes(worker.url, jane.username);
  const failed = await startJaneReset(seen);
  const wrong = failed.code === "000000" ? "111111" : "000000";
  expect((await api(worker.url, "POST", `/v1/resets/${failed.resetId}/verify`, { methodId: failed.methodId, code: wrong }, failed.resetToken)).status).toBe(400);
  const reset = await startJaneReset(seen);
  expect((await api(worker.url, "POST", `/v1/resets/${reset.resetId}/verify`, { methodId: reset.methodId, code: reset.code }, reset.resetToken)).status).toBe(200);
  expect((await api(worker.url, "POST", `/v1/resets/${reset.resetId}/password`, { newPassword: "copper-lantern-meadow-71" }, reset.resetToken)).status).toBe(200);
  expect((await api(worker.url, "POST", "/v1/sessions", { username: sam.username, password: "not-sams-password-1" })).status).toBe(401);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** The machine is shared: a screen that waits on several API calls gets longer than expect.poll's 1 s. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const sentences = (page: Page) => page.locator(".audit-list .audit-sentence").allTextContents();

/** Presses Tab until the focused element is the link or button named `name`, then Enter: the keyboard way in. */
async function tabTo(page: Page, name: string) {
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === name) return page.keyboard.press("Enter");
  }
  throw new Error(`Tab never reached ${name}`);
}

describe("the audit log", () => {
  let page: Page;

  beforeAll(async () => {
    page = await openConsoleAs(browser, worker.url, admin);
  });

  afterAll(() => page.close());

  it("is reached from the nav with the keyboard and tells each event as a sentence", async () => {
    await tabTo(page, "Audit log");
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    await poll(() => page.title()).toBe("Audit log · OpenSSPR admin");
    const completed = await api<{ events: { ip: string | null }[] }>(worker.url, "GET", "/v1/admin/audit?type=reset.completed", undefined, adminToken);
    const from = completed.body.events[0]!.ip ? ` from ${completed.body.events[0]!.ip}` : "";
    await poll(() => sentences(page)).toEqual(
      expect.arrayContaining([
        `A sign-in as Sam Lee failed: wrong password${from}.`,
        `Jane Doe reset their password with an email code${from}.`,
        `Jane Doe entered a wrong email code while resetting their password${from}.`,
        `An email code was sent to Jane Doe to reset their password${from}.`,
      ]),
    );
    expect(await page.getByRole("status").filter({ hasText: "events, newest first" }).textContent()).toBe("50+ events, newest first");
    await screenshotBothSchemes(page, "admin-audit-1280");
    await expectNoSeriousA11yViolations(page, "admin audit log");
  });

  it("pages back to older events", async () => {
    await page.getByRole("button", { name: "Show older events" }).click();
    const all = await api<{ events: unknown[] }>(worker.url, "GET", "/v1/admin/audit?limit=1000", undefined, adminToken);
    await poll(async () => (await sentences(page)).length).toBe(all.body.events.length);
    expect(await sentences(page)).toContainEqual(expect.stringMatching(/^Ada Admin changed the policy: (.+, )?org name( and .+)? \(version 1 → 2\) from /));
    expect(await page.getByRole("button", { name: "Show older events" }).count()).toBe(0);
  });

  it("filters by type, user and dates, and says when a date range is backwards", async () => {
    await page.getByLabel("Event type").selectOption({ label: "Sign-in failed" });
    await poll(() => sentences(page)).toEqual([expect.stringMatching(/^A sign-in as Sam Lee failed: wrong password/)]);
    expect(new URL(page.url()).searchParams.get("type")).toBe("session.failed");

    await page.getByLabel("Event type").selectOption("");
    await page.getByLabel("User (username)").fill(jane.username);
    await poll(async () => (await sentences(page)).length).toBeGreaterThan(3);
    expect((await sentences(page)).every((s) => s.includes("Jane Doe"))).toBe(true);
    await page.getByLabel("User (username)").fill("nobody-here");
    await page.getByText("No single account matches. Type the full username.").waitFor();
    await page.getByLabel("User (username)").fill("");

    const today = new Date();
    const day = (offset: number) => {
      const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    };
    await page.getByLabel("From").fill(day(1));
    await page.getByRole("status").filter({ hasText: "No events match." }).waitFor();
    await page.getByLabel("To (inclusive)").fill(day(0));
    await page.getByText("The last day must not be before the first.").waitFor();
    expect(await page.getByLabel("To (inclusive)").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("From").fill(day(0));
    await page.getByRole("status").filter({ hasText: "50+ events, newest first" }).waitFor();
    await page.getByLabel("From").fill("");
    await page.getByLabel("To (inclusive)").fill("");
  });

  it("downloads the filtered log as CSV", async () => {
    await page.getByLabel("Event type").selectOption({ label: "Password reset" });
    await poll(() => sentences(page)).toHaveLength(1);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^opensspr-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = readFileSync((await download.path())!, "utf8").trim().split("\r\n");
    expect(rows[0]).toBe("id,at,type,actorId,subjectId,ip,outcome,detail");
    expect(rows.slice(1).map((r) => r.split(",")[2])).toEqual(["reset.completed"]);
    await page.getByText("Downloaded 1 event.").waitFor();
    await page.getByLabel("Event type").selectOption("");
  });

  it("fits 360 px wide", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.getByLabel("User (username)").fill(jane.username);
    await poll(async () => (await sentences(page)).length).toBeGreaterThan(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshotBothSchemes(page, "admin-audit-360");
    await expectNoSeriousA11yViolations(page, "admin audit log at 360 px");
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe("reports", () => {
  let page: Page;

  beforeAll(async () => {
    page = await openConsoleAs(browser, worker.url, admin);
  });

  afterAll(() => page.close());

  const figure = (title: string) => page.getByRole("figure", { name: title });

  it("draws registration coverage and resets over time, each with its numbers as a table", async () => {
    await tabTo(page, "Reports");
    await page.getByRole("heading", { name: "Reports" }).waitFor();
    const { body: registration } = await api<{ enabled: number; registered: number; byMethod: { email: number } }>(worker.url, "GET", "/v1/admin/reports/registration", undefined, adminToken);
    const share = Math.round((registration.registered / registration.enabled) * 100);
    await figure("Coverage").getByText(`Registered: ${registration.registered} (${share}%)`).waitFor();
    const email = figure("Methods registered").locator(".bar-row", { hasText: "Email" }).locator(".bar-value");
    expect(await email.textContent()).toBe(`${registration.byMethod.email} (${Math.round((registration.byMethod.email / registration.enabled) * 100)}%)`);

    const overTime = figure("Resets over time");
    await overTime.locator("svg rect").first().waitFor();
    await overTime.getByText("Show the numbers as a table").click();
    const rows = overTime.getByRole("row");
    await poll(() => rows.count()).toBe(15);
    // Today is the last column: two resets started, one completed.
    expect(await rows.last().getByRole("cell").allTextContents()).toEqual(["2", "1"]);
    expect(await figure("Failed checks by reason").locator(".bar-row", { hasText: "Wrong code" }).locator(".bar-value").textContent()).toBe("1");
    expect(await page.locator(".stats").textContent()).toContain("Started2Completed1");
    await screenshotBothSchemes(page, "admin-reports-1280");
    await expectNoSeriousA11yViolations(page, "admin reports");
  });

  it("shows twelve weeks when asked", async () => {
    await page.getByLabel("Period").selectOption({ label: "Last 12 weeks, by week" });
    await figure("Resets over time").getByText("Show the numbers as a table").click();
    await poll(() => figure("Resets over time").getByRole("row").count()).toBe(13);
    expect(new URL(page.url()).searchParams.get("period")).toBe("12w");
    await page.getByLabel("Period").selectOption("14d");
  });

  it("fits 360 px wide", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await figure("Resets over time").locator(".columns svg").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshotBothSchemes(page, "admin-reports-360");
    await expectNoSeriousA11yViolations(page, "admin reports at 360 px");
  });
});
