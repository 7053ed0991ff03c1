/**
 * UK civil time (Europe/London) for scenarios: a scenario says "2030-03-05T14:30" or "2030-03-05" and means
 * the clock on the wall of a children's services office. Converts such local times to instants and back.
 */
import { type IsoDate, parseIsoDate } from '../domain/calendar';

const TIME_ZONE = 'Europe/London';

/** Time of day a date-only scenario time means: after the workflow's 09:00 notifications of that day. */
export const DEFAULT_TIME_OF_DAY = '10:00';

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?$/;

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
});

/** The UK wall-clock reading of an instant. */
export interface UkWallClock {
  readonly date: IsoDate;
  /** `HH:MM`. */
  readonly time: string;
  /** `Mon`…`Sun`. */
  readonly weekday: string;
}

/** The UK date, time and weekday of an instant (epoch ms). */
export function ukWallClock(epochMs: number): UkWallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter.formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}` as IsoDate,
    time: `${parts.hour}:${parts.minute}`,
    weekday: parts.weekday,
  };
}

function offsetMs(epochMs: number): number {
  const c = ukWallClock(epochMs);
  const [y, m, d] = c.date.split('-').map(Number);
  const [hh, mm] = c.time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, hh, mm) - Math.floor(epochMs / 60_000) * 60_000;
}

/** Whether `value` is `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` with a real date and time. */
export function isUkLocalTime(value: string): boolean {
  const match = LOCAL_TIME.exec(value);
  if (match === null) return false;
  try {
    parseIsoDate(match[1], 'time');
  } catch {
    return false;
  }
  return match[2] === undefined || (Number(match[2]) < 24 && Number(match[3]) < 60);
}

/**
 * The instant of a UK local time `YYYY-MM-DD[THH:MM]` (date only = {@link DEFAULT_TIME_OF_DAY}). A time that
 * does not exist (inside the spring clock change) moves forward by the gap, as a wall clock does.
 */
export function ukLocalToEpochMs(value: string): number {
  const match = LOCAL_TIME.exec(value);
  if (match === null || !isUkLocalTime(value))
    throw new RangeError('must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (UK local time)');
  const [hh, mm] = (match[2] === undefined ? DEFAULT_TIME_OF_DAY : `${match[2]}:${match[3]}`).split(':').map(Number);
  const [y, m, d] = match[1].split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d, hh, mm);
  const first = naive - offsetMs(naive);
  return naive - offsetMs(first);
}

/** The UK date of a local time value (`YYYY-MM-DD[THH:MM]`). */
export function dateOfUkLocal(value: string): IsoDate {
  return value.slice(0, 10) as IsoDate;
}
