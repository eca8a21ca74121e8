import { generateKeyPairSync } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminUser } from "../../shared/api/users.js";
import { DEMO_ACCOUNTS } from "../../scripts/seed-demo.js";
import { api, signIn } from "./support/api.js";
import { expectNoSeriousA11yViolations } from "./support/axe.js";
import { screenshotBothSchemes } from "./support/browser.js";
import { launchForWebPages, openConsoleAs, type WebBrowser } from "./support/web-browser.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

const account = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!;
const admin = account("admin@demo.example");
const helpdesk = account("helpdesk@demo.example");
const maria = account("maria@demo.example");

let worker: TestWorker;
let browser: WebBrowser;
let adminToken: string;

// axe runs before each pair of screenshots: a primary button's colour transition after the switch back
// to light would otherwise be measured half-way.
beforeAll(async () => {
  [worker, browser] = await Promise.all([startTestWorker(), launchForWebPages()]);
  adminToken = await signIn(worker.url, admin.username, admin.password);
  // An expiry policy, so a user's page has a date to show for `passwordExpiresAt`.
  const policy = await api(worker.url, "PATCH", "/v1/admin/policy", { passwordPolicy: { expiry: { days: 90 } } }, adminToken);
  expect(policy.status).toBe(200);
  // Building the pages and starting wrangler share two cores with the rest of the run: allow for it.
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const adminApi = <T>(method: string, path: string, body?: unknown) => api<T>(worker.url, method, path, body, adminToken);
const userNamed = async (q: string) => (await adminApi<{ users: AdminUser[] }>("GET", `/v1/admin/users?q=${encodeURIComponent(q)}`)).body.users;

const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);

describe("a global admin", () => {
  let page: Page;
  beforeAll(async () => {
    page = await openConsoleAs(browser, worker.url, admin);
  });
  afterAll(() => page.close());

  it("creates a user: checked as typed, a taken username refused on its field, a temporary password shown once", async () => {
    await page.getByRole("link", { name: "Create a user" }).click();
    await page.getByRole("heading", { name: "Create a user" }).waitFor();
    await expectNoSeriousA11yViolations(page, "create a user");

    await page.getByRole("button", { name: "Create user" }).click();
    const username = page.getByLabel("Username");
    expect(await username.getAttribute("aria-invalid")).toBe("true");
    expect(await username.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByText("Enter a name of 1 to 200 characters, on one line.").waitFor();
    await page.getByLabel("Email (optional)").fill("not-an-email");
    await page.getByLabel("Email (optional)").blur();
    await page.getByText("Enter an email address like name@example.org.").waitFor();
    await expectNoSeriousA11yViolations(page, "create a user: problems");
    await screenshotBothSchemes(page, "admin-create-user-errors-1280");

    await username.fill(maria.username);
    await page.getByLabel("Display name").fill("Pat Quinn");
    await page.getByLabel("Email (optional)").fill("pat.quinn@demo.example");
    await page.getByLabel("Groups (optional)").fill("support, emea");
    await page.getByLabel("Password admin").check();
    await page.getByLabel("Password never expires").check();
    await page.getByRole("button", { name: "Create user" }).click();
    await page.getByText("That username is taken.").waitFor();
    expect(await username.getAttribute("aria-invalid")).toBe("true");
    expect(await userNamed("pat")).toEqual([]);

    await username.fill("pat.quinn@demo.example");
    await expect(page.getByText("That username is taken.").count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Create user" }).click();
    await page.getByRole("heading", { name: "Pat Quinn is created" }).waitFor();
    const temporary = await page.getByLabel("Temporary password", { exact: true }).inputValue();
    await expectNoSeriousA11yViolations(page, "user created");
    await screenshotBothSchemes(page, "admin-create-user-done-1280");

    const [pat] = await userNamed("pat.quinn");
    expect(pat).toMatchObject({ displayName: "Pat Quinn", groups: ["emea", "support"], roles: ["user", "password_admin"], mustChangePassword: true, passwordNeverExpires: true });
    expect(pat!.registration.methods.map((m) => [m.type, m.status])).toEqual([["email", "active"]]);
    const session = await api<{ user: { mustChangePassword: boolean } }>(worker.url, "POST", "/v1/sessions", { username: "pat.quinn@demo.example", password: temporary });
    expect(session.status).toBe(201);
  });

  it("imports a CSV file: a preview with each row's problems, then the good rows, the server's refusals on their rows", async () => {
    await page.goto(`${worker.url}/admin/users`);
    await page.getByRole("link", { name: "Import from a CSV file" }).click();
    await page.getByRole("heading", { name: "Import users" }).waitFor();
    await expectNoSeriousA11yViolations(page, "import: choose a file");
    const csv = [
      "username,Display name,email,groups,roles,Never expires",
      "lee.one@demo.example,Lee One,lee.one@demo.example,imported;emea,,yes",
      'lee.two@demo.example,"Two, Lee",,imported,password_admin,',
      "lee.three@demo.example,Lee Three,not-an-email,,,",
      `${maria.username},Maria Again,,,,`,
    ].join("\r\n");
    await page.getByLabel("CSV file").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("heading", { name: "Check people.csv" }).waitFor();
    expect(await page.getByRole("status").first().textContent()).toContain("4 rows: 3 ready, 1 with a problem.");
    const lineOf = (line: number) => page.getByRole("row").filter({ has: page.getByRole("cell", { name: String(line), exact: true }) });
    expect(await lineOf(4).textContent()).toContain("Email: Enter an email address like name@example.org.");
    await expectNoSeriousA11yViolations(page, "import: preview");
    await screenshotBothSchemes(page, "admin-import-preview-1280");
    // Nothing is created by looking.
    expect(await userNamed("lee.")).toEqual([]);

    await page.getByRole("button", { name: "Import 3 users" }).click();
    await page.getByRole("heading", { name: "people.csv imported" }).waitFor();
    expect(await page.getByRole("status").first().textContent()).toBe("2 users created, 1 row refused by the server, 1 row left out.");
    expect(await lineOf(5).textContent()).toContain("Username: That username is taken.");
    expect(await lineOf(2).textContent()).toContain("Created");
    await expectNoSeriousA11yViolations(page, "import: done");
    await screenshotBothSchemes(page, "admin-import-done-1280");

    const imported = await userNamed("lee.");
    expect(imported.map((u) => [u.username, u.displayName, u.groups, u.roles, u.passwordNeverExpires]).sort()).toEqual([
      ["lee.one@demo.example", "Lee One", ["emea", "imported"], ["user"], true],
      ["lee.two@demo.example", "Two, Lee", ["imported"], ["user", "password_admin"], false],
    ]);
  });

  it("disables and enables, changes roles and groups and the never-expires switch, each after a confirm step", async () => {
    await page.goto(`${worker.url}/admin/users/usr_demo_maria`);
    await page.getByRole("heading", { name: "Maria Garcia" }).waitFor();
    const settings = page.getByRole("region", { name: "Account settings" });
    const expiresAt = (await adminApi<AdminUser>("GET", "/v1/admin/users/usr_demo_maria")).body.passwordExpiresAt;
    expect(expiresAt).not.toBeNull();
    expect(await settings.textContent()).toContain(String(new Date(expiresAt!).getFullYear()));

    // With the keyboard: the action, then Enter on the confirm button that took focus.
    await page.getByRole("button", { name: "Disable account" }).focus();
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("button", { name: "Disable Maria Garcia" });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoSeriousA11yViolations(page, "disable confirm");
    await screenshotBothSchemes(page, "admin-user-disable-confirm-1280");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Maria Garcia's account is disabled." }).waitFor();
    expect((await adminApi<AdminUser>("GET", "/v1/admin/users/usr_demo_maria")).body.disabled).toBe(true);
    expect((await api(worker.url, "POST", "/v1/sessions", { username: maria.username, password: maria.password })).status).not.toBe(201);
    await page.getByRole("button", { name: "Enable account" }).click();
    await page.getByRole("button", { name: "Enable Maria Garcia" }).click();
    await page.getByRole("status").filter({ hasText: "Maria Garcia's account is enabled." }).waitFor();
    expect((await api(worker.url, "POST", "/v1/sessions", { username: maria.username, password: maria.password })).status).toBe(201);

    // Escape cancels, changes nothing and gives focus back to the control.
    await page.getByRole("button", { name: "Change groups" }).click();
    await page.getByLabel("Groups of Maria Garcia").press("Escape");
    await expect.poll(() => page.getByRole("button", { name: "Change groups" }).evaluate((el) => el === document.activeElement)).toBe(true);

    await page.getByRole("button", { name: "Change groups" }).click();
    await page.getByLabel("Groups of Maria Garcia").fill("sales, emea");
    await page.getByRole("button", { name: "Review the change" }).click();
    await page.getByText("Maria Garcia's groups become: sales, emea.").waitFor();
    await page.getByRole("button", { name: "Change groups" }).click();
    await page.getByRole("status").filter({ hasText: "Maria Garcia's groups are now: sales, emea." }).waitFor();
    expect((await adminApi<AdminUser>("GET", "/v1/admin/users/usr_demo_maria")).body.groups).toEqual(["emea", "sales"]);

    await page.getByRole("button", { name: "Change roles" }).click();
    await expectNoSeriousA11yViolations(page, "roles editor");
    await page.getByRole("button", { name: "Review the change" }).click();
    await page.getByText("These are the roles it has now: change one, or cancel.").waitFor();
    await page.getByLabel("Password admin").check();
    await page.getByRole("button", { name: "Review the change" }).click();
    await page.getByRole("button", { name: "Change roles" }).click();
    await page.getByRole("status").filter({ hasText: "Maria Garcia's roles are now: User, Password admin." }).waitFor();
    expect((await adminApi<AdminUser>("GET", "/v1/admin/users/usr_demo_maria")).body.roles).toEqual(["user", "password_admin"]);

    await page.getByRole("button", { name: "Change language" }).click();
    await page.getByLabel("Language of Maria Garcia's messages").selectOption({ label: "Español" });
    await page.getByRole("button", { name: "Review the change" }).click();
    await page.getByText("Emails and text messages to Maria Garcia (codes, reset notices, expiry reminders) will be in: Español.").waitFor();
    await page.getByRole("button", { name: "Change language" }).click();
    await page.getByRole("status").filter({ hasText: "Maria Garcia's messages are now in: Español." }).waitFor();
    expect((await adminApi<AdminUser>("GET", "/v1/admin/users/usr_demo_maria")).body.locale).toBe("es");

    const never = page.getByRole("switch", { name: "Password never expires" });
    expect(await never.getAttribute("aria-checked")).toBe("false");
    await never.click();
    await page.getByRole("button", { name: "Never expire" }).click();
    await page.getByRole("status").filter({ hasText: "Maria Garcia's password never expires now." }).waitFor();
    await expect.poll(() => never.getAttribute("aria-checked")).toBe("true");
    expect(await settings.textContent()).toContain("Never: exempt from expiry.");
    expect((await adminApi<AdminUser>("GET", "/v1/admin/users/usr_demo_maria")).body).toMatchObject({ passwordNeverExpires: true, passwordExpiresAt: null });
    await expectNoSeriousA11yViolations(page, "account settings");
    await screenshotBothSchemes(page, "admin-user-settings-1280");
  });

  it("shows a directory user's directory-owned settings read-only, saying why", async () => {
    const created = await adminApi<{ enrollmentToken: string }>("POST", "/v1/admin/directory/agents", { name: "e2e agent" });
    const publicKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });
    const enrolled = await api<{ credential: string }>(worker.url, "POST", "/v1/agent/enroll", { enrollmentToken: created.body.enrollmentToken, publicKey: { kty: "RSA", n: publicKey.n, e: publicKey.e }, version: "e2e" });
    expect(enrolled.status).toBe(200);
    const dana = { externalId: "guid-dana", dn: "uid=dana,ou=people,dc=demo,dc=example", username: "dana@demo.example", displayName: "Dana Directory", email: null, alternateEmail: null, mobile: null, groups: ["staff"], roles: ["user"], disabled: false, passwordChangedAt: Date.now(), passwordExpiresAt: null, passwordNeverExpires: true, mustChangePassword: false };
    const sync = await api(worker.url, "POST", "/v1/agent/sync", { syncId: "sync-e2e-admin-users", page: 0, last: true, users: [dana], groups: ["staff"], errors: [] }, enrolled.body.credential);
    expect(sync.status).toBe(200);
    const [user] = await userNamed("dana@");

    await page.goto(`${worker.url}/admin/users/${user!.id}`);
    await page.getByRole("heading", { name: "Dana Directory" }).waitFor();
    await page.getByText("Your organisation's directory manages these for this account: change them there").waitFor();
    for (const name of ["Disable account", "Change roles", "Change groups"]) await expect(page.getByRole("button", { name }).count()).resolves.toBe(0);
    await expect(page.getByRole("switch").count()).resolves.toBe(0);
    // The language of messages is OpenSSPR's own setting, not the directory's.
    await expect(page.getByRole("button", { name: "Change language" }).count()).resolves.toBe(1);
    expect(await page.getByRole("region", { name: "Account settings" }).textContent()).toContain("Never: exempt from expiry.");
    // What the page does not offer, the API refuses too.
    const refused = await adminApi<{ error: { code: string } }>("PATCH", `/v1/admin/users/${user!.id}`, { passwordNeverExpires: false });
    expect([refused.status, refused.body.error.code]).toEqual([409, "managed_by_directory"]);
    await expectNoSeriousA11yViolations(page, "directory user");
    await screenshotBothSchemes(page, "admin-user-directory-1280");
  });

  it("fits 360 px wide in light and dark", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${worker.url}/admin/users/usr_demo_jane`);
    await page.getByRole("heading", { name: "Jane Doe" }).waitFor();
    await page.getByRole("button", { name: "Change roles" }).click();
    await screenshotBothSchemes(page, "admin-user-settings-360");
    expect(await fitsWidth(page)).toBe(true);
    await page.goto(`${worker.url}/admin/users/new`);
    await page.getByRole("heading", { name: "Create a user" }).waitFor();
    await screenshotBothSchemes(page, "admin-create-user-360");
    expect(await fitsWidth(page)).toBe(true);
    await page.goto(`${worker.url}/admin/users/import`);
    await page.getByLabel("CSV file").setInputFiles({ name: "narrow.csv", mimeType: "text/csv", buffer: Buffer.from("username,displayName,email\nnarrow@demo.example,Narrow,nope\n") });
    await page.getByRole("heading", { name: "Check narrow.csv" }).waitFor();
    await screenshotBothSchemes(page, "admin-import-preview-360");
    expect(await fitsWidth(page)).toBe(true);
    await page.goto(`${worker.url}/admin/users`);
    await page.getByRole("link", { name: "Jane Doe" }).waitFor();
    await screenshotBothSchemes(page, "admin-users-create-import-360");
    expect(await fitsWidth(page)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe("a password admin", () => {
  it("is not offered roles or the import, and may change a user's other settings", async () => {
    const page = await openConsoleAs(browser, worker.url, helpdesk);
    await expect(page.getByRole("link", { name: "Import from a CSV file" }).count()).resolves.toBe(0);
    await page.getByRole("link", { name: "Create a user" }).click();
    await page.getByRole("heading", { name: "Create a user" }).waitFor();
    await expect(page.getByText("Admin roles (optional)").count()).resolves.toBe(0);
    await page.goto(`${worker.url}/admin/users/usr_demo_jane`);
    await page.getByRole("heading", { name: "Jane Doe" }).waitFor();
    await expect(page.getByRole("button", { name: "Change roles" }).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Change groups" }).count()).resolves.toBe(1);
    await expect(page.getByRole("switch", { name: "Password never expires" }).count()).resolves.toBe(1);
    // An admin account: nothing to change, not even its groups.
    await page.goto(`${worker.url}/admin/users/usr_demo_admin`);
    await page.getByRole("heading", { name: "Ada Admin" }).waitFor();
    await expect(page.getByRole("button", { name: "Disable account" }).count()).resolves.toBe(0);
    await expect(page.getByRole("switch").count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Change language" }).count()).resolves.toBe(0);
    await page.close();
  });
});
