/**
 * UK civil time (Europe/London) for scenarios: a scenario says "2030-03-05T14:30" or "2030-03-05" and means
 * the clock on the wall of a children's services office. Converts such local times to instants and back.
 */
import { type IsoDate, parseIsoDate, ukInstant } from '../domain/calendar';

export { ukWallClock, type UkWallClock } from '../domain/calendar';

/** Time of day a date-only scenario time means: after the workflow's 09:00 notifications of that day. */
export const DEFAULT_TIME_OF_DAY = '10:00';

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?$/;

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
  return ukInstant(match[1] as IsoDate, hh, mm);
}

/** The UK date of a local time value (`YYYY-MM-DD[THH:MM]`). */
export function dateOfUkLocal(value: string): IsoDate {
  return value.slice(0, 10) as IsoDate;
}
