/**
 * The worker's clock. Every expiry check reads it, so that `POST /v1/dev/clock` (development only)
 * can move time for expiry tests. The offset lives in the isolate: local dev runs one isolate.
 */
let offsetMs = 0;

export function now(): number {
  return Date.now() + offsetMs;
}

export function setClockOffset(seconds: number): number {
  offsetMs = seconds * 1000;
  return now();
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined): string | null => (ms == null ? null : iso(ms));
