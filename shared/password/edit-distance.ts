/**
 * Whether text[start, end) is within Levenshtein distance 1 of `term` (one insertion, deletion or
 * substitution; a transposition is two). Both sides are arrays of code points. Linear and
 * allocation-free because it runs for every candidate substring on every keystroke.
 */
export function withinOneEdit(
  text: readonly string[],
  start: number,
  end: number,
  term: readonly string[],
): boolean {
  const n = end - start;
  const m = term.length;
  if (n - m > 1 || m - n > 1) return false;
  let i = 0;
  while (i < n && i < m && text[start + i] === term[i]) i++;
  if (n === m) return i === n || sameRun(text, start + i + 1, term, i + 1, n - i - 1);
  // After the common prefix the single edit must sit at i; the rest has to line up exactly.
  if (n === m + 1) return sameRun(text, start + i + 1, term, i, m - i);
  return sameRun(text, start + i, term, i + 1, n - i);
}

function sameRun(
  a: readonly string[],
  aFrom: number,
  b: readonly string[],
  bFrom: number,
  length: number,
): boolean {
  for (let k = 0; k < length; k++) {
    if (a[aFrom + k] !== b[bFrom + k]) return false;
  }
  return true;
}
