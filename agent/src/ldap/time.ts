/** Milliseconds between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
const FILETIME_UNIX_OFFSET_MS = 11_644_473_600_000n;
/** AD's "never" for FILETIME values (accountExpires, msDS-UserPasswordExpiryTimeComputed). */
export const FILETIME_NEVER = 0x7fff_ffff_ffff_ffffn;

/**
 * An AD FILETIME (100 ns intervals since 1601, as decimal text) in Unix ms; null for 0, "never" and
 * anything unreadable, which AD uses for "not set".
 */
export function fileTimeToEpochMs(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return null;
  const ticks = BigInt(value.trim());
  if (ticks <= 0n || ticks >= FILETIME_NEVER) return null;
  const ms = ticks / 10_000n - FILETIME_UNIX_OFFSET_MS;
  return ms < 0n ? null : Number(ms);
}

/** AD durations such as maxPwdAge are negative 100 ns counts; null when the domain sets none. */
export function adIntervalToMs(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return null;
  const ticks = BigInt(value.trim());
  if (ticks === 0n || ticks <= -FILETIME_NEVER) return null;
  const magnitude = ticks < 0n ? -ticks : ticks;
  return Number(magnitude / 10_000n);
}

/**
 * LDAP GeneralizedTime (`20261125143000Z`, `20261125143000.123Z`, `202611251430+0100`) in Unix ms;
 * null when unreadable.
 */
export function generalizedTimeToEpochMs(value: string | undefined): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/.exec(value?.trim() ?? "");
  if (!match) return null;
  const [, year, month, day, hour, minute = "0", second = "0", fraction = "", zone] = match;
  const date = new Date(Date.UTC(2000, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Math.round(Number(`0.${fraction || "0"}`) * 1000)));
  // setUTCFullYear, because Date.UTC reads years 0-99 as 1900-1999.
  const utc = date.setUTCFullYear(Number(year));
  if (Number.isNaN(utc) || Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31 || Number(hour) > 23) return null;
  if (zone === "Z") return utc;
  const sign = zone!.startsWith("-") ? -1 : 1;
  const offsetMinutes = Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(3, 5) || "0");
  return utc - sign * offsetMinutes * 60_000;
}
