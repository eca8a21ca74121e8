import { type CreateUserRequest, type ImportResponse, MAX_IMPORT_ROWS, MAX_IMPORT_ROWS_WITH_PASSWORD } from "../../../../shared/api/admin.js";
import { MAX_BODY_BYTES } from "../../../../shared/api/common.js";
import { normaliseUsername } from "../../../../shared/username.js";
import { parseCsv } from "./csv.js";
import { type FieldProblems, type UserField, fieldProblems, serverProblems } from "./user-fields.js";

/** A file larger than this is refused before it is previewed: ten full import requests. */
const MAX_FILE_ROWS = 10 * MAX_IMPORT_ROWS;

/** Header names as people write them ("Display name", "display_name", "E-mail") → the API's field. */
const HEADERS: Record<string, UserField> = {
  username: "username",
  displayname: "displayName",
  name: "displayName",
  email: "email",
  emailaddress: "email",
  phone: "phone",
  mobile: "phone",
  password: "password",
  roles: "roles",
  groups: "groups",
  passwordneverexpires: "passwordNeverExpires",
  neverexpires: "passwordNeverExpires",
};
const headerKey = (text: string) => text.trim().toLowerCase().replace(/[\s_-]+/g, "");

/** Cells of one row, by field, as written in the file (for the preview). */
export type RowCells = Partial<Record<UserField, string>>;

export interface ImportRow {
  /** The file line the row starts on (the header is line 1 in most files). */
  line: number;
  cells: RowCells;
  /** What would be sent; null when the row has problems and is left out. */
  request: CreateUserRequest | null;
  problems: FieldProblems;
  /** A problem with the row as a whole (more cells than the header has). */
  rowProblem: string | null;
}

export type ImportPreview = { ok: true; rows: ImportRow[] } | { ok: false; problem: string };

/** Spreadsheet ways of writing a yes or a no; anything else stays text, which the schema refuses on its row. */
const YES_NO: Record<string, boolean> = { yes: true, y: true, true: true, "1": true, no: false, n: false, false: false, "0": false };

/**
 * Roles and groups hold several values in one cell, separated by semicolons (the comma separates
 * cells). Every account keeps the User role, as one created or edited in the console does.
 */
const list = (cell: string) =>
  cell
    .split(";")
    .map((v) => v.trim())
    .filter(Boolean);

function requestOf(cells: RowCells): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(cells) as [UserField, string][]) {
    // A password is taken exactly as written; other cells lose the spaces a spreadsheet leaves around them.
    const value = field === "password" ? raw : raw.trim();
    if (value === "") continue;
    if (field === "roles") request.roles = [...new Set(["user", ...list(value)])];
    else if (field === "passwordNeverExpires") request.passwordNeverExpires = YES_NO[value.toLowerCase()] ?? value;
    else request[field] = field === "groups" ? list(value) : value;
  }
  return request;
}

/** Reads a CSV file into rows checked as the worker will check them, before anything is sent. */
export function previewImport(text: string): ImportPreview {
  const [header, ...records] = parseCsv(text);
  if (!header) return { ok: false, problem: "The file is empty." };
  const columns = header.cells.map((h) => HEADERS[headerKey(h)] ?? null);
  const unknown = header.cells.filter((_, i) => columns[i] === null);
  if (unknown.length) return { ok: false, problem: `The first line must name the columns; these are not known: ${unknown.join(", ")}. Use username, displayName, email, phone, password, roles, groups, passwordNeverExpires.` };
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length) return { ok: false, problem: `A column appears twice: ${[...new Set(repeated)].join(", ")}.` };
  const missing = (["username", "displayName"] as const).filter((f) => !columns.includes(f));
  if (missing.length) return { ok: false, problem: `The file needs the columns ${missing.join(" and ")}.` };
  if (records.length === 0) return { ok: false, problem: "The file has its header line but no users." };
  if (records.length > MAX_FILE_ROWS) return { ok: false, problem: `The file has ${records.length} users; import at most ${MAX_FILE_ROWS} at a time.` };

  const rows: ImportRow[] = records.map(({ line, cells: values }) => {
    const cells: RowCells = {};
    columns.forEach((field, i) => (cells[field!] = values[i] ?? ""));
    const request = requestOf(cells);
    return { line, cells, request: request as unknown as CreateUserRequest, problems: fieldProblems(request), rowProblem: values.length > columns.length ? `This line has ${values.length} cells; the header has ${columns.length}.` : null };
  });

  // As the worker does: a username twice in one file is a problem on every occurrence (which was meant is not guessed).
  const seen = new Map<string, number>();
  const nameOf = (r: ImportRow) => (r.request?.username !== undefined ? normaliseUsername(r.request.username) : "");
  for (const r of rows) seen.set(nameOf(r), (seen.get(nameOf(r)) ?? 0) + 1);
  for (const r of rows) if (nameOf(r) && seen.get(nameOf(r))! > 1 && !r.problems.username) r.problems.username = "This username appears more than once in the file.";
  for (const r of rows) if (Object.keys(r.problems).length || r.rowProblem) r.request = null;
  return { ok: true, rows };
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;
const ENVELOPE_BYTES = utf8Length('{"users":[]}');

/**
 * The ready rows (indexes into `rows`) split into import requests the worker accepts: each within
 * MAX_IMPORT_ROWS rows, MAX_IMPORT_ROWS_WITH_PASSWORD passwords and the contract's body size.
 */
export function importBatches(rows: readonly ImportRow[]): number[][] {
  const batches: number[][] = [];
  let batch: number[] = [];
  let bytes = ENVELOPE_BYTES;
  let passwords = 0;
  rows.forEach((row, index) => {
    if (!row.request) return;
    const size = utf8Length(JSON.stringify(row.request)) + 1;
    const password = row.request.password !== undefined ? 1 : 0;
    if (batch.length && (batch.length === MAX_IMPORT_ROWS || passwords + password > MAX_IMPORT_ROWS_WITH_PASSWORD || bytes + size > MAX_BODY_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = ENVELOPE_BYTES;
      passwords = 0;
    }
    batch.push(index);
    bytes += size;
    passwords += password;
  });
  if (batch.length) batches.push(batch);
  return batches;
}

export type RowOutcome = { created: true } | { created: false; problems: FieldProblems; general: string | null };

/** The worker's answer to one batch, row by row: its `errors[].index` counts within the batch. */
export function outcomesOf(batch: readonly number[], response: ImportResponse): Map<number, RowOutcome> {
  const failed = new Map(response.errors.map((e) => [e.index, e.error]));
  return new Map<number, RowOutcome>(
    batch.map((rowIndex, i): [number, RowOutcome] => {
      const error = failed.get(i);
      if (!error) return [rowIndex, { created: true }];
      const { fields, general } = serverProblems({ code: error.code, message: error.message, details: error.details ?? [] });
      return [rowIndex, { created: false, problems: fields, general }];
    }),
  );
}
