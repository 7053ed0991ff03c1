/**
 * Turning what users give the case commands (JSON files, options) into validated domain values: a referral,
 * a case event, the calendar data a case carries. Errors name the file (or option), the field and the rule.
 */
import { basename } from 'node:path';
import { type CalendarData, type IsoDate, yearOf } from '../../domain/calendar';
import {
  CASE_EVENT_TYPES,
  type CaseEvent,
  type CaseEventType,
  InvalidCaseEventError,
  InvalidReferralError,
  parseCaseEvent,
  parseReferral,
  type Referral,
} from '../../domain/case';
import { loadCalendarData } from '../../config/holidays';
import { InputFileError, readJsonFile } from '../input-file';
import { UsageError } from './errors';

/** Years of holidays a case carries beyond the year of its referral (long plans, bail, reviews). */
export const CASE_CALENDAR_YEARS_AHEAD = 5;

/**
 * Reads and validates a referral file; `receivedOn` (the `--received-on` option) replaces the file's date.
 * @throws InputFileError (unreadable, not JSON) or InvalidReferralError prefixed with the file name.
 */
export function readReferralFile(path: string, receivedOn?: string): Referral {
  const data = readJsonFile(path);
  try {
    return parseReferral(
      receivedOn === undefined || typeof data !== 'object' || data === null ? data : { ...data, receivedOn },
    );
  } catch (err) {
    if (err instanceof InvalidReferralError) throw new InputFileError(`${basename(path)}: ${err.message}`);
    throw err;
  }
}

/** The holidays a case carries: from the year before its referral to {@link CASE_CALENDAR_YEARS_AHEAD} years after. */
export function caseCalendarData(receivedOn: IsoDate): CalendarData {
  const year = yearOf(receivedOn);
  return loadCalendarData({ fromYear: year - 1, toYear: year + CASE_CALENDAR_YEARS_AHEAD });
}

/** Checks the event-type argument of `case record`. */
export function parseEventType(value: string): CaseEventType {
  if (!(CASE_EVENT_TYPES as readonly string[]).includes(value)) {
    throw new UsageError(`event-type: must be one of: ${CASE_EVENT_TYPES.join(', ')}`);
  }
  return value as CaseEventType;
}

/** Validates an event given as data, prefixing errors with `label` (a file name or command). */
export function toCaseEvent(data: Record<string, unknown>, label: string): CaseEvent {
  try {
    return parseCaseEvent(data);
  } catch (err) {
    if (err instanceof InvalidCaseEventError) throw new InputFileError(`${label}: ${err.message}`);
    throw err;
  }
}

/** Field values given on the command line for an event file. */
export interface EventFileValues {
  /** Given explicitly (`--on`, `--by`): they replace the file's. */
  readonly overrides?: { readonly occurredOn?: IsoDate; readonly recordedBy?: string };
  /** Used only when neither the file nor an override gives one (e.g. today for `occurredOn`). */
  readonly defaults?: { readonly occurredOn?: IsoDate; readonly recordedBy?: string };
}

/**
 * Reads an event file for `case record <ref> <type> --file F`: the type argument fills `type` (a file that
 * names another type is refused); `--on`/`--by` replace the file's `occurredOn`/`recordedBy`.
 */
export function readEventFile(path: string, type: CaseEventType, values: EventFileValues = {}): CaseEvent {
  const data = readJsonFile(path);
  const label = basename(path);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputFileError(`${label}: must be a JSON object holding the event's fields`);
  }
  const fields = data as Record<string, unknown>;
  if (fields.type !== undefined && fields.type !== type) {
    throw new InputFileError(`${label}: type: the file records a different event type than the command (${type})`);
  }
  const defined = (o: object | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
  return toCaseEvent({ ...defined(values.defaults), ...fields, ...defined(values.overrides), type }, label);
}
