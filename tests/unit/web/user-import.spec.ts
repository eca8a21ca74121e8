import { describe, expect, it } from "vitest";
import { MAX_IMPORT_ROWS, MAX_IMPORT_ROWS_WITH_PASSWORD } from "../../../shared/api/admin.js";
import { MAX_BODY_BYTES } from "../../../shared/api/common.js";
import { parseCsv } from "../../../web/admin/src/users/csv.js";
import { type ImportRow, importBatches, outcomesOf, previewImport } from "../../../web/admin/src/users/import-rows.js";
import { FIELD_MESSAGES, fieldProblems, serverProblems } from "../../../web/admin/src/users/user-fields.js";

describe("parseCsv", () => {
  it("reads quoted cells with commas, doubled quotes and line breaks, and keeps each record's first line", () => {
    const text = '\uFEFFusername,displayName\r\nann,"Lee, Ann"\r\n\r\nbob,"Bob ""B"" \nSmith"\nc,C';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ["username", "displayName"] },
      { line: 2, cells: ["ann", "Lee, Ann"] },
      { line: 4, cells: ["bob", 'Bob "B" \nSmith'] },
      { line: 6, cells: ["c", "C"] },
    ]);
  });

  it("keeps empty cells, a trailing one included", () => {
    expect(parseCsv("a,,\n")).toEqual([{ line: 1, cells: ["a", "", ""] }]);
  });
});

describe("previewImport", () => {
  it("maps the header as people write it and builds each row's request, lists split on semicolons", () => {
    const preview = previewImport("Username,Display name,E-mail,Mobile,Roles,Groups,Password\n ann@x.io ,Ann Lee,ann@x.io,+447911123456,user; password_admin,sales;emea, pass word \n");
    expect(preview).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          cells: { username: " ann@x.io ", displayName: "Ann Lee", email: "ann@x.io", phone: "+447911123456", roles: "user; password_admin", groups: "sales;emea", password: " pass word " },
          request: { username: "ann@x.io", displayName: "Ann Lee", email: "ann@x.io", phone: "+447911123456", roles: ["user", "password_admin"], groups: ["sales", "emea"], password: " pass word " },
          problems: {},
          rowProblem: null,
        },
      ],
    });
  });

  it("leaves empty optional cells out of the request, and gives every account the User role", () => {
    const preview = previewImport("username,displayName,email,phone,roles\nbob,Bob,,,\ncat,Cat,,,global_admin\n");
    expect(preview.ok && preview.rows.map((r) => r.request)).toEqual([
      { username: "bob", displayName: "Bob" },
      { username: "cat", displayName: "Cat", roles: ["user", "global_admin"] },
    ]);
  });

  it("reads a never-expires column written as a spreadsheet would, and flags a value that is neither yes nor no", () => {
    const preview = previewImport("username,displayName,Password never expires\nann,Ann,Yes\nbob,Bob,0\ncat,Cat,\ndan,Dan,sometimes\n");
    expect(preview.ok && preview.rows.map((r) => r.request)).toEqual([
      { username: "ann", displayName: "Ann", passwordNeverExpires: true },
      { username: "bob", displayName: "Bob", passwordNeverExpires: false },
      { username: "cat", displayName: "Cat" },
      null,
    ]);
    expect(preview.ok && preview.rows[3]!.problems).toEqual({ passwordNeverExpires: "Write yes or no (or leave it empty for no)." });
  });

  it("reports each bad row's fields with the shared schema, and every repeat of a username", () => {
    const preview = previewImport(["username,displayName,email,roles", "ok1,One,one@x.io,", "bad,Bad,not-an-email,owner", "has space,Spaced,,", "Dup,Dup A,,", "dup,Dup B,,", ",No Name,,", "extra,Extra,,,surplus"].join("\n"));
    if (!preview.ok) throw new Error(preview.problem);
    const summary = preview.rows.map((r) => [r.line, Object.keys(r.problems).sort(), r.rowProblem !== null, r.request !== null]);
    expect(summary).toEqual([
      [2, [], false, true],
      [3, ["email", "roles"], false, false],
      [4, ["username"], false, false],
      [5, ["username"], false, false],
      [6, ["username"], false, false],
      [7, ["username"], false, false],
      [8, [], true, false],
    ]);
    expect(preview.rows[1]!.problems.email).toBe(FIELD_MESSAGES.email);
    expect(preview.rows[3]!.problems.username).toBe("This username appears more than once in the file.");
    expect(preview.rows[5]!.problems.username).toBe(FIELD_MESSAGES.username);
  });

  it.each([
    ["", "The file is empty."],
    ["username,displayName\n", "The file has its header line but no users."],
    ["username,name,shoe size\nx,y,9\n", "these are not known: shoe size"],
    ["username,email\nx,y\n", "needs the columns displayName"],
    ["username,displayName,Display Name\nx,y,z\n", "A column appears twice: displayName"],
  ])("refuses the file %j as a whole", (text, problem) => {
    const preview = previewImport(text);
    expect(preview.ok).toBe(false);
    expect(!preview.ok && preview.problem).toContain(problem);
  });
});

const ready = (request: ImportRow["request"]): ImportRow => ({ line: 0, cells: {}, request, problems: {}, rowProblem: null });

describe("importBatches", () => {
  it("skips rows with problems and splits at the row, password and body-size limits", () => {
    const rows = Array.from({ length: 2 * MAX_IMPORT_ROWS + 5 }, (_, i) => ready({ username: `u${i}`, displayName: "U" }));
    rows[3] = { ...rows[3]!, request: null };
    expect(importBatches(rows).map((b) => b.length)).toEqual([MAX_IMPORT_ROWS, MAX_IMPORT_ROWS, 4]);
    expect(importBatches(rows)[0]).not.toContain(3);

    const withPasswords = Array.from({ length: MAX_IMPORT_ROWS_WITH_PASSWORD + 1 }, (_, i) => ready({ username: `p${i}`, displayName: "P", password: "x" }));
    expect(importBatches(withPasswords).map((b) => b.length)).toEqual([MAX_IMPORT_ROWS_WITH_PASSWORD, 1]);

    const long = "n".repeat(190);
    const big = Array.from({ length: 600 }, (_, i) => ready({ username: `b${i}`, displayName: long }));
    const batches = importBatches(big);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(new TextEncoder().encode(JSON.stringify({ users: b.map((i) => big[i]!.request) })).length).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(batches.flat()).toEqual(big.map((_, i) => i));
  });
});

describe("outcomesOf", () => {
  it("puts the worker's batch-relative errors back on the file's rows and their fields", () => {
    const outcomes = outcomesOf([4, 7, 9], {
      created: 1,
      errors: [
        { index: 0, error: { code: "conflict", message: "That username is taken." } },
        { index: 2, error: { code: "password_policy", message: "The new password does not meet the password rules.", details: [{ rule: "minLength", message: "Use at least 12 characters." }] } },
      ],
    });
    expect([...outcomes]).toEqual([
      [4, { created: false, problems: { username: "That username is taken." }, general: null }],
      [7, { created: true }],
      [9, { created: false, problems: { password: "Use at least 12 characters." }, general: null }],
    ]);
  });
});

describe("user fields", () => {
  it("checks a new user with the shared schema and the username rule", () => {
    expect(fieldProblems({ username: "ann", displayName: "Ann" })).toEqual({});
    expect(fieldProblems({ username: "a\u0007b", displayName: "Line\nbreak", email: "x" })).toEqual({
      username: FIELD_MESSAGES.username,
      displayName: FIELD_MESSAGES.displayName,
      email: FIELD_MESSAGES.email,
    });
  });

  it("maps validation details by path, keeping a policy's own sentence and the general message otherwise", () => {
    expect(serverProblems({ code: "invalid_request", message: "Invalid.", details: [{ path: "phone", message: "Required." }] })).toEqual({ fields: { phone: FIELD_MESSAGES.phone }, general: null });
    const refused = "Your organisation sends SMS codes only to numbers starting with +44.";
    expect(serverProblems({ code: "method_not_allowed_by_policy", message: refused, details: [{ path: "phone", message: refused }] })).toEqual({ fields: { phone: refused }, general: null });
    expect(serverProblems({ code: "forbidden", message: "Only a global admin may grant admin roles.", details: [] })).toEqual({ fields: {}, general: "Only a global admin may grant admin roles." });
  });
});
