import { describe, expect, test } from "vitest";
import { BACKOFF_CAP_MS, backoffDelayMs } from "../../../agent/src/backoff.js";

describe("reconnect backoff", () => {
  test("doubles from 1 s and stops at 60 s", () => {
    const highest = (attempt: number) => backoffDelayMs(attempt, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map(highest)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  test("jitter spreads each delay over the upper half of its step, never below it", () => {
    expect(backoffDelayMs(0, () => 0)).toBe(500);
    expect(backoffDelayMs(10, () => 0)).toBe(BACKOFF_CAP_MS / 2);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(3)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(4000), expect(delay).toBeLessThanOrEqual(8000);
  });
});
