import { useState } from "preact/hooks";
import { AUDIT_EVENT_TYPES } from "../../../../shared/audit-events.js";
import { plural, when } from "../format.js";
import { navigate } from "../router.js";
import type { AdminSession } from "../session.js";
import { fetchAuditCsv, MAX_CSV_PAGES, saveFile } from "./csv-download.js";
import { type AuditFilters, auditHref, dateProblem, filtersFromSearch } from "./query.js";
import { describeEvent, TYPE_LABELS } from "./sentences.js";
import { useAuditLog } from "./use-audit-log.js";

const TYPE_OPTIONS = [...AUDIT_EVENT_TYPES].sort((a, b) => TYPE_LABELS[a].localeCompare(TYPE_LABELS[b]));

export function AuditPage({ session, search }: { session: AdminSession; search: URLSearchParams }) {
  const [filters, setFilters] = useState(() => filtersFromSearch(search));
  const log = useAuditLog(session.token, filters);
  const [download, setDownload] = useState<{ busy: boolean; message: string | null; failed: boolean }>({ busy: false, message: null, failed: false });
  const problem = dateProblem(filters);

  function change(field: keyof AuditFilters, value: string) {
    const next = { ...filters, [field]: value };
    setFilters(next);
    // A message about the last file would now describe other filters.
    if (!download.busy) setDownload({ busy: false, message: null, failed: false });
    navigate(auditHref(next), { replace: true });
  }

  async function downloadCsv() {
    // While a search is under way the looked-up user may still be the previous filter's.
    if (download.busy || log.loading || problem || log.userProblem) return;
    setDownload({ busy: true, message: "Preparing the file…", failed: false });
    try {
      const file = await fetchAuditCsv(session.token, filters, log.userId);
      saveFile(`opensspr-audit-${new Date().toISOString().slice(0, 10)}.csv`, file.text);
      const count = plural(file.rows, "event");
      setDownload({ busy: false, failed: false, message: file.truncated ? `Downloaded the newest ${count} (the file stops after ${MAX_CSV_PAGES} pages; narrow the dates for the rest).` : `Downloaded ${count}.` });
    } catch (e) {
      setDownload({ busy: false, failed: true, message: e instanceof Error ? e.message : "The file could not be made. Try again." });
    }
  }

  const count = log.loading && log.events.length === 0 ? "Loading…" : log.events.length === 0 ? "No events match." : `${log.events.length}${log.nextCursor ? "+" : ""} ${log.events.length === 1 ? "event" : "events"}, newest first`;

  return (
    <>
      <h1>Audit log</h1>
      <form class="filters" role="search" aria-label="Audit log filters" onSubmit={(e) => e.preventDefault()}>
        <div class="filter">
          <label for="audit-type">Event type</label>
          <select id="audit-type" value={filters.type} onChange={(e) => change("type", e.currentTarget.value)}>
            <option value="">All events</option>
            {TYPE_OPTIONS.map((t) => (
              <option value={t} key={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div class="filter grow">
          <label for="audit-user">User (username)</label>
          <input
            id="audit-user"
            type="search"
            autocomplete="off"
            spellcheck={false}
            value={filters.user}
            aria-invalid={log.userProblem ? "true" : undefined}
            aria-describedby={log.userProblem ? "audit-user-error" : undefined}
            onInput={(e) => change("user", e.currentTarget.value)}
          />
          {log.userProblem && (
            <p class="field-error" id="audit-user-error">
              {log.userProblem}
            </p>
          )}
        </div>
        <DateFilter id="audit-from" label="From" value={filters.from} error={problem?.field === "from" ? problem.message : null} onChange={(v) => change("from", v)} />
        <DateFilter id="audit-to" label="To (inclusive)" value={filters.to} error={problem?.field === "to" ? problem.message : null} onChange={(v) => change("to", v)} />
      </form>
      <div class="button-row audit-actions">
        <button type="button" class="secondary" aria-disabled={download.busy || log.loading || problem || log.userProblem ? "true" : undefined} onClick={downloadCsv}>
          Download CSV
        </button>
        <p class="muted download-status" role="status">
          {download.message && <span class={download.failed ? "field-error" : undefined}>{download.message}</span>}
        </p>
      </div>
      {log.error && (
        <div class="notice error" role="alert">
          {log.error}
        </div>
      )}
      <p class="result-count" role="status" aria-live="polite">
        {count}
      </p>
      <ol class="audit-list" aria-busy={log.loading ? "true" : "false"}>
        {log.events.map((e) => (
          <li key={e.id} class={e.outcome === "failure" ? "failure" : undefined}>
            <p class="audit-sentence">{describeEvent(e, log.context)}</p>
            <p class="audit-meta">
              <time dateTime={e.at}>{when(e.at)}</time>
              <span>{TYPE_LABELS[e.type as keyof typeof TYPE_LABELS] ?? e.type}</span>
              {e.outcome === "failure" && <span class="badge bad">Failed</span>}
            </p>
          </li>
        ))}
      </ol>
      {log.nextCursor && (
        <button type="button" class="secondary" aria-disabled={log.loading ? "true" : undefined} onClick={() => !log.loading && log.loadMore()}>
          {log.loading ? "Loading…" : "Show older events"}
        </button>
      )}
    </>
  );
}

function DateFilter(p: { id: string; label: string; value: string; error: string | null; onChange: (value: string) => void }) {
  return (
    <div class="filter">
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        type="date"
        value={p.value}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `${p.id}-error` : undefined}
        onChange={(e) => p.onChange(e.currentTarget.value)}
      />
      {p.error && (
        <p class="field-error" id={`${p.id}-error`}>
          {p.error}
        </p>
      )}
    </div>
  );
}
