/**
 * UK civil time (Europe/London) for workflow code: which date "today" is for a case, and the instant of a
 * given time of day on a given date. Uses `Intl` (deterministic in the workflow sandbox: it reads no clock).
 *
 * Times of day cpflow uses (documented constants, not policy settings):
 * - {@link NOTIFY_HOUR} 09:00 UK time: reminders and escalations of a date are sent then;
 * - midnight (00:00 UK time) of the day after a due date: the case wakes to mark the step overdue in its
 *   search attributes, so lists are right from the start of that day.
 */
import { addDays, type IsoDate } from '../../domain/calendar';

/** Hour of the day (UK civil time) at which the reminders and escalations of a date are sent. */
export const NOTIFY_HOUR = 9;

const TIME_ZONE = 'Europe/London';

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

interface CivilParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function civilParts(epochMs: number): CivilParts {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * UK offsets by UTC hour (UK clocks only change on the hour, in UTC), so `Intl` — the costly part, several
 * microseconds a call — runs once per hour of time a workflow looks at. Per workflow (module state), bounded.
 */
const offsetByUtcHour = new Map<number, number>();
const OFFSET_CACHE_LIMIT = 4096;

/** Offset of UK civil time from UTC at an instant, in milliseconds (0 in winter, 1 hour in summer). */
function ukOffsetMs(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  const cached = offsetByUtcHour.get(hour);
  if (cached !== undefined) return cached;
  const p = civilParts(hour * HOUR_MS);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hour * HOUR_MS;
  if (offsetByUtcHour.size >= OFFSET_CACHE_LIMIT) offsetByUtcHour.clear();
  offsetByUtcHour.set(hour, offset);
  return offset;
}

/** The UK civil date of an instant (epoch milliseconds). */
export function ukDateOf(epochMs: number): IsoDate {
  const local = new Date(Math.floor((epochMs + ukOffsetMs(epochMs)) / DAY_MS) * DAY_MS);
  return local.toISOString().slice(0, 10) as IsoDate;
}

/** The instant (epoch ms) of `hour`:00 UK civil time on `date` (hours 0–23; never inside a clock change). */
export function ukInstant(date: IsoDate, hour: number): number {
  const [y, m, d] = date.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d, hour);
  let instant = naive - ukOffsetMs(naive);
  const check = naive - ukOffsetMs(instant);
  if (check !== instant) instant = check;
  return instant;
}

/** The instant of the start (00:00 UK time) of the day after `date`. */
export function startOfDayAfter(date: IsoDate): number {
  return ukInstant(addDays(date, 1), 0);
}
