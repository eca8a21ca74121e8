import type { ImportRow, RowOutcome } from "./import-rows.js";
import { type FieldProblems, type UserField, USER_FIELDS } from "./user-fields.js";

const HEADINGS: Record<UserField, string> = {
  username: "Username",
  displayName: "Display name",
  email: "Email",
  phone: "Phone",
  password: "Password",
  roles: "Roles",
  groups: "Groups",
  passwordNeverExpires: "Password never expires",
};

/** Rows without a problem past this many are counted, not drawn: a 10,000-line file stays quick to show. */
const SHOWN_READY_ROWS = 200;

function Problems({ problems, general }: { problems: FieldProblems; general?: string | null }) {
  const lines = [...(general ? [general] : []), ...USER_FIELDS.filter((f) => problems[f]).map((f) => `${HEADINGS[f]}: ${problems[f]}`)];
  return (
    <ul class="problems">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

function Result({ row, outcome, done }: { row: ImportRow; outcome: RowOutcome | undefined; done: boolean }) {
  if (!row.request) {
    return (
      <>
        {done ? "Left out" : "Will be left out"}
        <Problems problems={row.problems} general={row.rowProblem} />
      </>
    );
  }
  if (!done) return <>Ready</>;
  if (!outcome) return <>Not imported</>;
  if (outcome.created) return <>Created</>;
  return (
    <>
      Refused
      <Problems problems={outcome.problems} general={outcome.general} />
    </>
  );
}

/** The file's rows as the worker will see them (a password only as "given"; the result column first, so a phone shows it without scrolling), each with its problems or result. */
export function ImportTable({ rows, outcomes }: { rows: ImportRow[]; outcomes: Map<number, RowOutcome> | null }) {
  const columns = USER_FIELDS.filter((f) => rows[0]?.cells[f] !== undefined);
  const bad = (row: ImportRow, i: number) => !row.request || outcomes?.get(i)?.created === false;
  let readyShown = 0;
  const shown = rows.flatMap((row, i) => (bad(row, i) || readyShown++ < SHOWN_READY_ROWS ? [i] : []));
  const hidden = rows.length - shown.length;

  return (
    <>
      <div class="table-scroll" role="region" aria-labelledby="import-caption" tabIndex={0}>
        <table class="preview">
          <caption id="import-caption" class="visually-hidden">
            Rows of the file
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">{outcomes ? "Result" : "Check"}</th>
              {columns.map((c) => (
                <th scope="col" key={c}>
                  {HEADINGS[c]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((i) => {
              const row = rows[i]!;
              return (
                <tr key={row.line} class={bad(row, i) ? "bad" : undefined}>
                  <td>{row.line}</td>
                  <td class="result">
                    <Result row={row} outcome={outcomes?.get(i)} done={outcomes !== null} />
                  </td>
                  {columns.map((c) => (
                    <td key={c}>{c === "password" ? (row.cells.password ? "given" : "") : row.cells[c]}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {hidden > 0 && <p class="hint">{hidden} more rows without a problem are not shown.</p>}
    </>
  );
}
