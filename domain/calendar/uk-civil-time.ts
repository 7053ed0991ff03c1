/**
 * UK civil time (Europe/London): the date in England of an instant, and the instant of a time of day on a
 * date. The one place cpflow turns instants into English dates — used by workflows (which day "today" is for
 * a case, when 09:00 is), the CLI (its default "today") and the scenario simulator.
 *
 * Pure and deterministic: `Intl` with a fixed time zone reads no clock, so workflow code may use it. The UK
 * offset is memoised per UTC hour (clocks change only on the hour, in UTC), because `Intl` costs several
 * microseconds a call; the memo is a bounded cache of a pure function, identical whoever fills it.
 */
import { type IsoDate } from './iso-date';

const TIME_ZONE = 'Europe/London';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const offsetByUtcHour = new Map<number, number>();
const OFFSET_CACHE_LIMIT = 4096;

/** Offset of UK civil time from UTC at an instant, in milliseconds (0 in winter, 1 hour in summer). */
export function ukOffsetMs(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  const cached = offsetByUtcHour.get(hour);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(new Date(hour * HOUR_MS))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const offset =
    Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - hour * HOUR_MS;
  if (offsetByUtcHour.size >= OFFSET_CACHE_LIMIT) offsetByUtcHour.clear();
  offsetByUtcHour.set(hour, offset);
  return offset;
}

/** The UK civil date of an instant (epoch milliseconds). */
export function ukDateOf(epochMs: number): IsoDate {
  const local = new Date(Math.floor((epochMs + ukOffsetMs(epochMs)) / DAY_MS) * DAY_MS);
  return local.toISOString().slice(0, 10) as IsoDate;
}

/** The UK wall-clock reading of an instant. */
export interface UkWallClock {
  readonly date: IsoDate;
  /** `HH:MM`. */
  readonly time: string;
  /** `Mon`…`Sun`. */
  readonly weekday: string;
}

/** The UK date, time (`HH:MM`) and weekday of an instant (epoch ms). */
export function ukWallClock(epochMs: number): UkWallClock {
  const local = new Date(epochMs + ukOffsetMs(epochMs));
  const iso = local.toISOString();
  return { date: iso.slice(0, 10) as IsoDate, time: iso.slice(11, 16), weekday: WEEKDAYS[local.getUTCDay()] };
}

/**
 * The instant (epoch ms) of `hour`:`minute` UK civil time on `date`. A time that does not exist (inside the
 * spring clock change) moves forward by the gap, as a wall clock does.
 */
export function ukInstant(date: IsoDate, hour: number, minute = 0): number {
  const [y, m, d] = date.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d, hour, minute);
  return naive - ukOffsetMs(naive - ukOffsetMs(naive));
}
