import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type Policy, type PolicyInput, policyInputSchema } from "../../../../shared/policy/schema.js";
import { ApiFailure, call } from "../api.js";
import { when } from "../format.js";
import { type AdminSession, isGlobalAdmin } from "../session.js";
import { ALL_FIELDS, type Field, SECTIONS, defaultOf, fieldOfPath, getPath, setPath } from "./fields.js";
import { FieldInput } from "./field-input.js";

/** What PUT takes: the policy without its bookkeeping, and adminPolicy as `{enabled}` only (api.md). */
export function inputOf(p: Policy): PolicyInput {
  const { version: _v, updatedAt: _u, adminPolicy, ...rest } = p;
  return { ...rest, adminPolicy: { enabled: adminPolicy.enabled } };
}

/** A field's problem in words: numbers get their range, others the schema's own sentence. */
function messageFor(field: Field, path: readonly PropertyKey[], message: string): string {
  if (field.kind === "number") return `Enter a whole number from ${field.min} to ${field.max}${field.emptyMeans ? `, or leave it empty` : ""}.`;
  const item = path[field.path.split(".").length];
  if ((field.kind === "lines" || field.kind === "questions") && typeof item === "number") return `Line ${item + 1}: ${message}`;
  return message;
}

/** The shared schema's issues (the same the worker checks), one message per field. */
export function localErrors(draft: PolicyInput): Record<string, string> {
  const result = policyInputSchema.safeParse(draft);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = fieldOfPath(issue.path.join("."));
    const field = ALL_FIELDS.find((f) => f.path === key);
    if (field && !errors[field.path]) errors[field.path] = messageFor(field, issue.path, issue.message);
  }
  return errors;
}

type Saved = { policy: Policy; input: PolicyInput };

export function PolicyPage({ session }: { session: AdminSession }) {
  const [saved, setSaved] = useState<Saved | null>(null);
  const [draft, setDraft] = useState<PolicyInput | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "error" | "info"; text: string; conflict?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [triedSave, setTriedSave] = useState(false);
  const noticeRef = useRef<HTMLDivElement>(null);
  const readOnly = !isGlobalAdmin(session.user);

  async function load() {
    const policy = await call<Policy>("GET", "/v1/admin/policy", { token: session.token });
    const input = inputOf(policy);
    setSaved({ policy, input });
    setDraft(input);
    setServerErrors({});
    setTriedSave(false);
  }

  useEffect(() => {
    load().catch((e: unknown) => setNotice({ tone: "error", text: e instanceof ApiFailure ? e.message : "The policy could not be loaded." }));
  }, [session.token]);

  const dirty = useMemo(() => saved !== null && draft !== null && JSON.stringify(draft) !== JSON.stringify(saved.input), [saved, draft]);
  const errors = useMemo(() => ({ ...(draft ? localErrors(draft) : {}), ...serverErrors }), [draft, serverErrors]);

  // Leaving with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  if (!saved || !draft) {
    return (
      <>
        <h1>Policy</h1>
        {notice ? (
          <div class="notice error" role="alert">
            {notice.text}
          </div>
        ) : (
          <p role="status">Loading…</p>
        )}
      </>
    );
  }

  function change(path: string, value: unknown) {
    setDraft((d) => setPath(d!, path, value));
    setServerErrors(({ [path]: _gone, ...rest }) => rest);
    if (notice?.tone === "info") setNotice(null);
  }

  async function save(e: Event) {
    e.preventDefault();
    if (busy || readOnly || !dirty) return;
    setTriedSave(true);
    const problems = localErrors(draft!);
    if (Object.keys(problems).length) {
      setNotice({ tone: "error", text: `${Object.keys(problems).length === 1 ? "One field needs" : `${Object.keys(problems).length} fields need`} a change before the policy can be saved.` });
      return;
    }
    setBusy(true);
    try {
      const policy = await call<Policy>("PUT", "/v1/admin/policy", { token: session.token, body: draft, headers: { "If-Match": `"${saved!.policy.version}"` } });
      const input = inputOf(policy);
      setSaved({ policy, input });
      setDraft(input);
      setServerErrors({});
      setTriedSave(false);
      setNotice({ tone: "info", text: `Saved. This is version ${policy.version} of the policy.` });
    } catch (err) {
      if (err instanceof ApiFailure && err.code === "version_conflict") {
        setNotice({ tone: "error", conflict: true, text: "Someone else saved the policy after you opened it. Load their version to continue; your changes here will be lost, so note them first." });
      } else if (err instanceof ApiFailure && err.details.length) {
        const mapped: Record<string, string> = {};
        for (const d of err.details) {
          const key = d.path ? fieldOfPath(d.path) : null;
          if (key && !mapped[key]) mapped[key] = d.message ?? err.message;
        }
        setServerErrors(mapped);
        setNotice({ tone: "error", text: Object.keys(mapped).length ? "The server refused some values: see the fields marked below." : err.message });
      } else {
        setNotice({ tone: "error", text: err instanceof ApiFailure ? err.message : "The policy could not be saved. Try again." });
      }
    } finally {
      setBusy(false);
    }
  }

  const shownErrors = triedSave ? errors : Object.fromEntries(Object.entries(errors).filter(([path]) => JSON.stringify(getPath(draft, path)) !== JSON.stringify(getPath(saved.input, path)) || serverErrors[path]));

  return (
    <form class="policy" onSubmit={save} noValidate>
      <h1>Policy</h1>
      <p class="hint">
        Version {saved.policy.version}, saved {when(saved.policy.updatedAt)}.
      </p>
      {readOnly && <p class="notice info">Only a global admin can change the policy: you can read it here.</p>}
      {notice && (
        <div class={`notice ${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"} tabIndex={-1} ref={noticeRef}>
          <p>{notice.text}</p>
          {notice.conflict && (
            <button type="button" class="secondary" onClick={() => load().then(() => setNotice({ tone: "info", text: "The latest policy is loaded." }))}>
              Load the latest policy
            </button>
          )}
        </div>
      )}
      <fieldset class="policy-body" disabled={readOnly}>
        {SECTIONS.map((section) => (
          <section class="policy-section" key={section.title} aria-labelledby={`section-${section.title}`}>
            <h2 id={`section-${section.title}`}>{section.title}</h2>
            {section.fields.map((field) => (
              <FieldInput key={field.path} field={field} value={getPath(draft, field.path)} defaultValue={defaultOf(field.path)} error={shownErrors[field.path] ?? null} onChange={(v) => change(field.path, v)} />
            ))}
          </section>
        ))}
      </fieldset>
      {!readOnly && (
        <div class={`save-bar${dirty ? " dirty" : ""}`}>
          <p role="status">{dirty ? "You have unsaved changes." : "No unsaved changes."}</p>
          <div class="button-row">
            <button type="submit" class="primary inline" aria-disabled={busy || !dirty ? "true" : undefined}>
              {busy ? "Saving…" : "Save policy"}
            </button>
            {dirty && (
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  setDraft(saved.input);
                  setServerErrors({});
                  setTriedSave(false);
                  setNotice(null);
                }}
              >
                Discard changes
              </button>
            )}
          </div>
        </div>
      )}
    </form>
  );
}
