import { useEffect, useRef, useState } from "preact/hooks";
import type { ImportResponse } from "../../../../shared/api/admin.js";
import { ApiFailure, call } from "../api.js";
import { plural } from "../format.js";
import { onLinkClick } from "../router.js";
import { type AdminSession, isGlobalAdmin } from "../session.js";
import { type ImportRow, type RowOutcome, importBatches, outcomesOf, previewImport } from "./import-rows.js";
import { ImportTable } from "./import-table.js";
import { lastListHref } from "./user-list.js";

type Stage = { kind: "choose"; problem: string | null } | { kind: "preview"; file: string; rows: ImportRow[] } | { kind: "done"; file: string; rows: ImportRow[]; outcomes: Map<number, RowOutcome>; stopped: string | null };


/**
 * POST /v1/admin/users/import from a CSV file: the rows are checked here first with the worker's own
 * schema (the contract has no dry run), only ready rows are sent, and the worker's per-row refusals
 * land on the rows they are about. Global admins only (api.md).
 */
export function ImportUsers({ session }: { session: AdminSession }) {
  const [stage, setStage] = useState<Stage>({ kind: "choose", problem: null });
  const [progress, setProgress] = useState<string | null>(null);
  const summaryRef = useRef<HTMLHeadingElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);

  const started = useRef(false);

  // A new screen starts at its title; each later stage at its summary, or back at the file picker.
  useEffect(() => {
    if (!started.current) titleRef.current?.focus();
    else if (stage.kind === "choose") document.getElementById("import-file")?.focus();
    else summaryRef.current?.focus();
    started.current = true;
  }, [stage.kind]);

  const back = (
    <p class="back">
      <a href={lastListHref()} onClick={onLinkClick}>
        ← All users
      </a>
    </p>
  );
  if (!isGlobalAdmin(session.user)) {
    return (
      <>
        {back}
        <h1>Import users</h1>
        <p class="notice info">Only a global admin can import users. You can create them one at a time.</p>
      </>
    );
  }

  async function choose(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    const preview = previewImport(await file.text());
    input.value = "";
    setStage(preview.ok ? { kind: "preview", file: file.name, rows: preview.rows } : { kind: "choose", problem: `${file.name}: ${preview.problem}` });
  }

  async function apply() {
    if (stage.kind !== "preview" || progress) return;
    const batches = importBatches(stage.rows);
    const outcomes = new Map<number, RowOutcome>();
    let stopped: string | null = null;
    for (const [i, batch] of batches.entries()) {
      setProgress(batches.length > 1 ? `Importing, part ${i + 1} of ${batches.length}…` : "Importing…");
      try {
        const res = await call<ImportResponse>("POST", "/v1/admin/users/import", { token: session.token, body: { users: batch.map((r) => stage.rows[r]!.request) } });
        for (const [row, outcome] of outcomesOf(batch, res)) outcomes.set(row, outcome);
      } catch (e) {
        // The rows of this part and later ones were not created: the file can be chosen again for them.
        stopped = e instanceof ApiFailure ? e.message : "The import stopped. Try again.";
        break;
      }
    }
    setProgress(null);
    setStage({ kind: "done", file: stage.file, rows: stage.rows, outcomes, stopped });
  }

  const heading = (
    <h1 tabIndex={-1} ref={titleRef}>
      Import users
    </h1>
  );

  if (stage.kind === "choose") {
    return (
      <>
        {back}
        {heading}
        <p>Choose a CSV file with one user per line. The first line names the columns:</p>
        <ul>
          <li>
            <strong>username</strong> and <strong>displayName</strong>, required;
          </li>
          <li>
            <strong>email</strong> and <strong>phone</strong> (international form), which become active recovery methods;
          </li>
          <li>
            <strong>roles</strong> and <strong>groups</strong>, several separated by semicolons (roles: password_admin, global_admin; every account also has the role user);
          </li>
          <li>
            <strong>password</strong>, optional: without one the user has no password until they reset it with the email or phone given here, or you set a temporary one.
          </li>
        </ul>
        <p class="hint">Nothing is created until you have seen the rows and pressed Import.</p>
        {stage.problem && (
          <div class="notice error" role="alert">
            {stage.problem}
          </div>
        )}
        <div class="field">
          <label for="import-file">CSV file</label>
          <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => choose(e.currentTarget)} />
        </div>
      </>
    );
  }

  const rows = stage.rows;
  const ready = rows.filter((r) => r.request).length;
  const withProblems = rows.length - ready;
  const outcomes = stage.kind === "done" ? stage.outcomes : null;
  const created = outcomes ? [...outcomes.values()].filter((o) => o.created).length : 0;
  const refused = outcomes ? outcomes.size - created : 0;

  return (
    <>
      {back}
      {heading}
      <h2 tabIndex={-1} ref={summaryRef}>
        {stage.kind === "preview" ? `Check ${stage.file}` : `${stage.file} imported`}
      </h2>
      {stage.kind === "preview" ? (
        <p role="status">
          {plural(rows.length, "row", "rows")}: {ready} ready, {plural(withProblems, "with a problem", "with problems")}.
          {withProblems > 0 ? " Rows with problems are left out; fix them in the file and import it again." : ""}
        </p>
      ) : (
        <div class={`notice ${stage.stopped || refused || withProblems ? "error" : "info"}`} role="status">
          <p>
            {plural(created, "user created", "users created")}
            {refused ? `, ${plural(refused, "row refused by the server", "rows refused by the server")}` : ""}
            {withProblems ? `, ${plural(withProblems, "row left out", "rows left out")}` : ""}.
          </p>
          {stage.stopped && <p>The import stopped: {stage.stopped} Rows without a result were not created.</p>}
        </div>
      )}
      <ImportTable rows={rows} outcomes={outcomes} />
      <div class="button-row">
        {stage.kind === "preview" && ready > 0 && (
          <button type="button" class="primary inline" aria-disabled={progress ? "true" : undefined} onClick={apply}>
            {progress ?? `Import ${plural(ready, "user", "users")}`}
          </button>
        )}
        <button type="button" class="secondary" onClick={() => setStage({ kind: "choose", problem: null })}>
          {stage.kind === "preview" ? "Choose another file" : "Import another file"}
        </button>
      </div>
    </>
  );
}
