/** Plain-text tables for stdout. */

export type Align = "left" | "right";

export function table(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const cell = (text: string, i: number) => ((align[i] ?? "left") === "right" ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => cells.map(cell).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export const ms = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? "—" : value.toFixed(digits));
export const ratio = (value: number | null | undefined) => (value === null || value === undefined ? "—" : `${value.toFixed(2)}×`);
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** `{"201": 120, "200": 118}` → `201×120, 200×118`, most frequent first. */
export const mix = (record: Record<string, number> | undefined) =>
  record
    ? Object.entries(record)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k}×${v}`)
        .join(", ")
    : "—";
