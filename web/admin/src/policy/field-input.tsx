import { useEffect, useState } from "preact/hooks";
import type { Field } from "./fields.js";

interface Props {
  field: Field;
  value: unknown;
  defaultValue: unknown;
  error: string | null;
  onChange: (value: unknown) => void;
}

const idOf = (path: string) => `policy-${path.replace(/\./g, "-")}`;

function defaultText(field: Field, value: unknown): string | null {
  if (field.kind === "number") {
    const range = `From ${field.min} to ${field.max}${field.unit ? ` ${field.unit}` : ""}`;
    if (field.emptyMeans) return `${range}, or empty: passwords ${field.emptyMeans}. Default: ${value === null ? field.emptyMeans : String(value)}.`;
    return `${range}. Default ${String(value)}.`;
  }
  if (field.kind === "boolean") return `Default: ${value ? "on" : "off"}.`;
  return null;
}

/** One policy field: its label, what it takes (range and default), and its problem in words. */
export function FieldInput({ field, value, defaultValue, error, onChange }: Props) {
  const id = idOf(field.path);
  const hint = field.kind === "lines" || field.kind === "questions" ? field.hint : defaultText(field, defaultValue);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const invalid = error ? "true" : undefined;
  const hintEl = hint && (
    <p class="hint" id={`${id}-hint`}>
      {hint}
    </p>
  );
  const errorEl = error && (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  );

  if (field.kind === "boolean") {
    return (
      <div class="field check">
        <input id={id} type="checkbox" checked={value === true} aria-describedby={describedBy} onChange={(e) => onChange(e.currentTarget.checked)} />
        <label for={id}>{field.label}</label>
        {hintEl}
        {errorEl}
      </div>
    );
  }

  if (field.kind === "checkboxes") {
    const chosen = (value as string[]) ?? [];
    return (
      <fieldset class="field group" aria-describedby={describedBy} aria-invalid={invalid}>
        <legend>{field.label}</legend>
        {field.options.map((o) => (
          <div class="check" key={o.value}>
            <input
              id={`${id}-${o.value}`}
              type="checkbox"
              checked={chosen.includes(o.value)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                onChange(field.options.map((x) => x.value).filter((v) => (v === o.value ? on : chosen.includes(v))));
              }}
            />
            <label for={`${id}-${o.value}`}>{o.label}</label>
          </div>
        ))}
        {errorEl}
      </fieldset>
    );
  }

  return (
    <div class="field">
      <label for={id}>{field.label}</label>
      {hintEl}
      <Control field={field} id={id} value={value} describedBy={describedBy} invalid={invalid} onChange={onChange} />
      {errorEl}
    </div>
  );
}

function Control({ field, id, value, describedBy, invalid, onChange }: { field: Field; id: string; value: unknown; describedBy: string | undefined; invalid: "true" | undefined; onChange: (v: unknown) => void }) {
  const common = { id, "aria-describedby": describedBy, "aria-invalid": invalid };
  switch (field.kind) {
    case "number":
      return (
        <input
          {...common}
          type="text"
          inputMode="numeric"
          class="number"
          value={typeof value === "number" && !Number.isNaN(value) ? String(value) : ""}
          onInput={(e) => {
            const text = e.currentTarget.value.trim();
            // Only digits count: Number() would also read "0x10" or "1e2".
            if (text === "") onChange(field.emptyMeans ? null : Number.NaN);
            else onChange(/^-?\d+$/.test(text) ? Number(text) : Number.NaN);
          }}
        />
      );
    case "select":
      return (
        <select {...common} value={String(value)} onChange={(e) => onChange(typeof value === "number" ? Number(e.currentTarget.value) : e.currentTarget.value)}>
          {field.options.map((o) => (
            <option value={o.value} key={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case "text":
      return (
        <input
          {...common}
          type={(field.inputType ?? "text") as "text"}
          value={(value as string | null) ?? ""}
          onInput={(e) => {
            const text = e.currentTarget.value;
            onChange(field.nullable && text.trim() === "" ? null : text);
          }}
        />
      );
    case "lines":
    case "questions":
      return <LinesInput common={common} questions={field.kind === "questions"} value={value as unknown[]} onChange={onChange} />;
    default:
      return null;
  }
}

const parseLines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

function toItems(text: string, questions: boolean): unknown[] {
  const lines = parseLines(text);
  if (!questions) return lines;
  return lines.map((line) => {
    const colon = line.indexOf(":");
    return colon < 0 ? { id: "", text: line } : { id: line.slice(0, colon).trim(), text: line.slice(colon + 1).trim() };
  });
}

const toText = (items: unknown[], questions: boolean) => items.map((i) => (questions ? `${(i as { id: string }).id}: ${(i as { text: string }).text}` : String(i))).join("\n");

/**
 * A list as one line per item. The text is kept as typed (an empty line being written stays) and
 * re-read from the value only when the value changes from outside (discard, reload).
 */
function LinesInput({ common, questions, value, onChange }: { common: Record<string, unknown>; questions: boolean; value: unknown[]; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(() => toText(value, questions));
  useEffect(() => {
    if (JSON.stringify(toItems(text, questions)) !== JSON.stringify(value)) setText(toText(value, questions));
  }, [JSON.stringify(value)]);
  return (
    <textarea
      {...common}
      rows={Math.min(8, Math.max(3, value.length + 1))}
      spellcheck={false}
      value={text}
      onInput={(e) => {
        setText(e.currentTarget.value);
        onChange(toItems(e.currentTarget.value, questions));
      }}
    />
  );
}
