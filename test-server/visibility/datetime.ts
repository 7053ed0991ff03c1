/**
 * Datetime handling shared by search attribute decoding and the query compiler. Datetimes are held as epoch
 * milliseconds; a sub-millisecond part (RFC 3339 fractions, epoch-nanosecond literals) is kept as the
 * fraction, truncated to microseconds (the resolution of Temporal's SQL visibility stores).
 */

// Go's time.RFC3339Nano as accepted by time.Parse: date, 'T', time, optional fraction, 'Z' or ±hh:mm.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 timestamp (`2025-03-01T09:30:00Z`, `2025-03-01T09:30:00.123456789+01:00`) into epoch
 * milliseconds (with a fractional part below the millisecond). Returns undefined when the text is not a
 * valid RFC 3339 timestamp (wrong shape, or an impossible date such as February 30).
 */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utcMidnight = Date.UTC(year, month - 1, day);
  const check = new Date(utcMidnight);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offHours = Number(m[10]);
    const offMinutes = Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  // Truncated to microseconds, the resolution of Temporal's SQL visibility stores.
  const fraction = m[7] === undefined ? 0 : Number(m[7].slice(0, 6).padEnd(6, '0')) / 1000;
  return utcMidnight + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + fraction;
}

/**
 * Converts an integer count of nanoseconds since the epoch (as text, any size) to epoch milliseconds,
 * truncated to microseconds like an RFC 3339 value.
 */
export function epochNanosToMillis(nanos: string): number {
  const micros = BigInt(nanos) / 1_000n;
  const whole = micros / 1_000n;
  const rest = micros % 1_000n;
  return Number(whole) + Number(rest) / 1_000;
}

/** Formats epoch milliseconds as an RFC 3339 UTC timestamp (`2025-03-01T09:30:00.000Z`). */
export function formatDatetime(epochMillis: number): string {
  return new Date(Math.floor(epochMillis)).toISOString();
}
