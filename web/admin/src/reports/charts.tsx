import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fractionOf, labelEvery, niceScale, percentOf } from "./scale.js";

/**
 * Hand-drawn SVG charts: a few bars each, coloured by the theme's variables (so light and dark come
 * for free), sized by attributes rather than inline styles (the page's CSP allows none), and each with
 * its numbers as a table for screen readers and for anyone who wants the exact figures.
 */

export interface Series {
  name: string;
  /** 1–4: the chart palette of console.css. */
  tone: 1 | 2 | 3 | 4;
}

const pct = (f: number) => `${(f * 100).toFixed(2)}%`;

function Legend({ series }: { series: Series[] }) {
  return (
    <ul class="legend" aria-hidden="true">
      {series.map((s) => (
        <li key={s.name}>
          <svg class="swatch" width="12" height="12" focusable="false">
            <rect class={`tone-${s.tone}`} width="12" height="12" rx="2" />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}

function NumbersTable({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <details class="chart-table">
      <summary>Show the numbers as a table</summary>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th scope="col" key={i}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) =>
                j === 0 ? (
                  <th scope="row" key={j}>
                    {c}
                  </th>
                ) : (
                  <td key={j}>{c}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Figure({ title, summary, children }: { title: string; summary?: string; children: ComponentChildren }) {
  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{title}</span>
        {summary && <span class="chart-summary">{summary}</span>}
      </figcaption>
      {children}
    </figure>
  );
}

export interface BarRow {
  label: string;
  values: number[];
}

/**
 * Horizontal bars, one group per row (one bar per series), each with its label and number in text
 * beside it, so the chart reads without its colours. `of`: show each value as a share of this too.
 */
export function BarChart(p: { title: string; summary?: string; series: Series[]; rows: BarRow[]; of?: number; empty?: string }) {
  const max = p.of ?? Math.max(0, ...p.rows.flatMap((r) => r.values));
  const text = (v: number) => (p.of !== undefined ? `${v} (${percentOf(v, p.of)}%)` : String(v));
  const none = p.rows.every((r) => r.values.every((v) => v === 0));
  return (
    <Figure title={p.title} summary={p.summary}>
      {p.series.length > 1 && <Legend series={p.series} />}
      {none && p.empty ? (
        <p class="muted">{p.empty}</p>
      ) : (
        <div class="bars">
          {p.rows.map((row) => (
            <div class="bar-row" key={row.label}>
              <span class="bar-label">{row.label}</span>
              <div class="bar-group">
                {row.values.map((v, i) => (
                  <div class="bar-line" key={i}>
                    <svg class="bar" height="14" aria-hidden="true" focusable="false">
                      <rect class="bar-track" width="100%" height="14" rx="3" />
                      <rect class={`tone-${p.series[i]!.tone}`} width={pct(fractionOf(v, max))} height="14" rx="3" />
                    </svg>
                    <span class="bar-value">
                      {text(v)}
                      {p.series.length > 1 && <span class="visually-hidden"> {p.series[i]!.name.toLowerCase()}</span>}
                    </span>
                  </div>
                ))}
              </div>
            </div>
          ))}
        </div>
      )}
      <NumbersTable caption={p.title} head={["", ...p.series.map((s) => s.name)]} rows={p.rows.map((r) => [r.label, ...r.values.map(text)])} />
    </Figure>
  );
}

/** One bar cut into parts of a whole (e.g. registered, partly, not at all), with the parts named below. */
export function StackedBar(p: { title: string; summary?: string; parts: (Series & { value: number })[] }) {
  const total = p.parts.reduce((s, x) => s + x.value, 0);
  let x = 0;
  return (
    <Figure title={p.title} summary={p.summary}>
      <svg class="stacked" height="28" aria-hidden="true" focusable="false">
        <rect class="bar-track" width="100%" height="28" rx="4" />
        {p.parts.map((part) => {
          const w = fractionOf(part.value, total);
          const rect = <rect key={part.name} class={`tone-${part.tone}`} x={pct(x)} width={pct(w)} height="28" />;
          x += w;
          return rect;
        })}
      </svg>
      <ul class="legend">
        {p.parts.map((part) => (
          <li key={part.name}>
            <svg class="swatch" width="12" height="12" aria-hidden="true" focusable="false">
              <rect class={`tone-${part.tone}`} width="12" height="12" rx="2" />
            </svg>
            {part.name}: {part.value} ({percentOf(part.value, total)}%)
          </li>
        ))}
      </ul>
      <NumbersTable caption={p.title} head={["", "People", "Share"]} rows={p.parts.map((part) => [part.name, part.value, `${percentOf(part.value, total)}%`])} />
    </Figure>
  );
}

/** The element's width in CSS pixels, kept current as the layout changes (a narrow phone, a rotated one). */
function useWidth<T extends Element>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

const HEIGHT = 180;
const AXIS_LEFT = 36;
const AXIS_BOTTOM = 22;
const LABEL_WIDTH = 52;

/**
 * Columns over time, one group per window, one column per series, drawn at the container's pixel width
 * so its text stays at reading size on a phone; labels thin out when they would touch.
 */
export function ColumnChart(p: { title: string; summary?: string; unit: string; series: Series[]; columns: { label: string; values: number[] }[] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const scale = niceScale(Math.max(0, ...p.columns.flatMap((c) => c.values)));
  const plotWidth = Math.max(0, width - AXIS_LEFT);
  const plotHeight = HEIGHT - AXIS_BOTTOM;
  const slot = p.columns.length ? plotWidth / p.columns.length : 0;
  const barWidth = Math.max(1, (slot * 0.8) / p.series.length);
  const every = labelEvery(p.columns.length, plotWidth, LABEL_WIDTH);
  const y = (v: number) => plotHeight - fractionOf(v, scale.max) * (plotHeight - 8);
  return (
    <Figure title={p.title} summary={p.summary}>
      <Legend series={p.series} />
      <div class="columns" ref={ref}>
        {width > 0 && (
          <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} aria-hidden="true" focusable="false">
            {scale.ticks.map((t) => (
              <g key={t}>
                <line class="grid" x1={AXIS_LEFT} x2={width} y1={y(t)} y2={y(t)} />
                <text class="tick" x={AXIS_LEFT - 6} y={y(t) + 4} text-anchor="end">
                  {t}
                </text>
              </g>
            ))}
            {p.columns.map((c, i) => (
              <g key={c.label}>
                {c.values.map((v, j) => (
                  <rect key={j} class={`tone-${p.series[j]!.tone}`} x={AXIS_LEFT + i * slot + slot * 0.1 + j * barWidth} y={y(v)} width={Math.max(0, barWidth - 1)} height={plotHeight - y(v)} />
                ))}
                {i % every === 0 && (
                  <text class="tick" x={AXIS_LEFT + i * slot + slot / 2} y={HEIGHT - 6} text-anchor="middle">
                    {c.label}
                  </text>
                )}
              </g>
            ))}
          </svg>
        )}
      </div>
      <NumbersTable caption={p.title} head={[p.unit, ...p.series.map((s) => s.name)]} rows={p.columns.map((c) => [c.label, ...c.values])} />
    </Figure>
  );
}
