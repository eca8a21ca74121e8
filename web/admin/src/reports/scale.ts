/** A value axis from 0 that ends on a round number, with its tick values (about `ticks` of them). */
export function niceScale(max: number, ticks = 4): { max: number; ticks: number[] } {
  if (!(max > 0)) return { max: 1, ticks: [0, 1] };
  const rough = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  // Counts are whole: a step is never below 1.
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!);
  const top = Math.ceil(max / step) * step;
  const values: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) values.push(Math.round(v));
  return { max: top, ticks: values };
}

/** `n` as a share of `of`, in whole percent (0 when `of` is 0: nothing to share). */
export const percentOf = (n: number, of: number): number => (of > 0 ? Math.round((n / of) * 100) : 0);

/** The width of a bar as a fraction of the axis, never past its end. */
export const fractionOf = (n: number, max: number): number => (max > 0 ? Math.min(1, Math.max(0, n / max)) : 0);

/** Every how many columns a label fits, so labels of `labelWidth` px never overlap on a `width` px axis. */
export function labelEvery(columns: number, width: number, labelWidth: number): number {
  if (columns <= 0 || width <= 0) return 1;
  const fit = Math.max(1, Math.floor(width / labelWidth));
  return Math.max(1, Math.ceil(columns / fit));
}
