import { describe, expect, test } from "vitest";
import { adIntervalToMs, fileTimeToEpochMs, generalizedTimeToEpochMs } from "../../../agent/src/ldap/time.js";

describe("directory time values", () => {
  test("FILETIME (100 ns since 1601) to Unix ms; 0 and 'never' are no time", () => {
    expect(fileTimeToEpochMs("116444736000000000")).toBe(0);
    expect(fileTimeToEpochMs("133800000000000000")).toBe(Date.UTC(2024, 11, 30, 2, 40));
    expect(fileTimeToEpochMs("0")).toBeNull();
    expect(fileTimeToEpochMs("9223372036854775807")).toBeNull();
    expect(fileTimeToEpochMs("not a number")).toBeNull();
    expect(fileTimeToEpochMs(undefined)).toBeNull();
  });

  test("AD intervals: maxPwdAge of 42 days, 0 and the 'never' minimum", () => {
    expect(adIntervalToMs("-36288000000000")).toBe(42 * 86_400_000);
    expect(adIntervalToMs("0")).toBeNull();
    expect(adIntervalToMs("-9223372036854775808")).toBeNull();
  });

  test("GeneralizedTime with seconds, fractions and offsets", () => {
    expect(generalizedTimeToEpochMs("20261125143000Z")).toBe(Date.UTC(2026, 10, 25, 14, 30, 0));
    expect(generalizedTimeToEpochMs("20261125143000.250Z")).toBe(Date.UTC(2026, 10, 25, 14, 30, 0, 250));
    expect(generalizedTimeToEpochMs("202611251430+0100")).toBe(Date.UTC(2026, 10, 25, 13, 30));
    expect(new Date(generalizedTimeToEpochMs("000001010000Z")!).getUTCFullYear()).toBe(0);
    expect(generalizedTimeToEpochMs("20261325143000Z")).toBeNull();
    expect(generalizedTimeToEpochMs("yesterday")).toBeNull();
  });
});
