import { describe, expect, it } from "vitest";
import type { ResetReport } from "../../../shared/api/admin.js";
import { fractionOf, labelEvery, niceScale, percentOf } from "../../../web/admin/src/reports/scale.js";
import { sumReports, windowsOf } from "../../../web/admin/src/reports/windows.js";

describe("chart scales", () => {
  it("ends the axis on a round number at or above the largest value", () => {
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceScale(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(niceScale(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(95)).toEqual({ max: 100, ticks: [0, 50, 100] });
    expect(niceScale(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
    for (const max of [1, 9, 11, 99, 101, 4321]) {
      const s = niceScale(max);
      expect(s.max).toBeGreaterThanOrEqual(max);
      expect(s.ticks.at(-1)).toBe(s.max);
      expect(s.ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it("gives shares and bar lengths that never leave the axis", () => {
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(5, 0)).toBe(0);
    expect(fractionOf(5, 10)).toBe(0.5);
    expect(fractionOf(15, 10)).toBe(1);
    expect(fractionOf(3, 0)).toBe(0);
  });

  it("thins the time labels so they fit", () => {
    expect(labelEvery(14, 900, 52)).toBe(1);
    expect(labelEvery(14, 320, 52)).toBe(3);
    expect(labelEvery(12, 0, 52)).toBe(1);
  });
});

describe("report windows", () => {
  it("cuts the period into adjacent local days or weeks ending with today", () => {
    const now = new Date(2026, 11, 7, 15, 30);
    const days = windowsOf("14d", now, (d) => `${d.getMonth() + 1}/${d.getDate()}`);
    expect(days).toHaveLength(14);
    expect(days[0]!.since).toEqual(new Date(2026, 10, 24));
    expect(days.at(-1)!.until).toEqual(new Date(2026, 11, 8));
    expect(days.at(-1)!.label).toBe("12/7");
    for (let i = 1; i < days.length; i++) expect(days[i]!.since).toEqual(days[i - 1]!.until);
    const weeks = windowsOf("12w", now);
    expect(weeks).toHaveLength(12);
    expect(weeks[0]!.since).toEqual(new Date(2026, 8, 15));
  });

  it("adds the windows' reports into the period's", () => {
    const report = (n: number, reason: string): ResetReport => ({
      since: "",
      until: "",
      started: n,
      challengesSent: n,
      verified: n,
      completed: n,
      blocked: 0,
      unavailable: 1,
      byMethod: { email: { challengesSent: n, verified: n, failed: 1 }, sms: { challengesSent: 0, verified: 0, failed: 0 }, totp: { challengesSent: 0, verified: 0, failed: 0 }, security_questions: { challengesSent: 0, verified: 0, failed: 0 } },
      failures: { [reason]: 1 },
      expiry: { expired: 1, changedBeforeExpiry: n },
    });
    const total = sumReports([report(2, "invalid_code"), report(3, "invalid_code"), report(1, "code_expired")]);
    expect(total.started).toBe(6);
    expect(total.unavailable).toBe(3);
    expect(total.byMethod.email).toEqual({ challengesSent: 6, verified: 6, failed: 3 });
    expect(total.failures).toEqual({ invalid_code: 2, code_expired: 1 });
    expect(total.expiry).toEqual({ expired: 3, changedBeforeExpiry: 6 });
  });
});
