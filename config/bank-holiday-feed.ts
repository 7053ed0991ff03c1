/**
 * The gov.uk bank-holiday feed (`https://www.gov.uk/bank-holidays.json`): its shape as a zod schema, and the
 * conversion of the England & Wales division into the calendar's plain holiday list.
 */
import { z } from 'zod';
import { type Holiday, isIsoDate, parseIsoDate } from '../domain/calendar';
import { GOV_UK_BANK_HOLIDAYS_URL } from './locations';

export { GOV_UK_BANK_HOLIDAYS_URL };
/** The division that applies to English child-protection procedure. */
export const ENGLAND_AND_WALES = 'england-and-wales';
/** `source` tag of holidays taken from the gov.uk feed. */
export const GOV_UK_SOURCE = 'gov.uk';

/** One event of a division, exactly as the feed publishes it. */
export const BankHolidayEventSchema = z.object({
  title: z.string().min(1, 'title must not be empty'),
  date: z.string().refine(isIsoDate, 'date must be a real date in the form YYYY-MM-DD'),
  notes: z.string(),
  bunting: z.boolean(),
});

/** One division of the feed (`{ division, events }`); the snapshot file has this shape. */
export const BankHolidayDivisionSchema = z
  .object({
    division: z.literal(ENGLAND_AND_WALES),
    events: z.array(BankHolidayEventSchema).min(1, 'events must list at least one bank holiday'),
  })
  .refine((d) => new Set(d.events.map((e) => e.date)).size === d.events.length, {
    message: 'events must not list the same date twice',
    path: ['events'],
  });

/** The whole feed: the England & Wales division plus any others (Scotland, Northern Ireland), ignored here. */
export const BankHolidayFeedSchema = z.looseObject({ [ENGLAND_AND_WALES]: BankHolidayDivisionSchema });

/** One published bank-holiday event. */
export type BankHolidayEvent = z.infer<typeof BankHolidayEventSchema>;
/** The England & Wales division of the feed. */
export type BankHolidayDivision = z.infer<typeof BankHolidayDivisionSchema>;

/** The feed (or a snapshot file) does not have the published shape. */
export class InvalidBankHolidayFeedError extends Error {
  override readonly name = 'InvalidBankHolidayFeedError';

  constructor(what: string, issues: string) {
    super(`${what} is not a valid gov.uk bank-holiday feed: ${issues}`);
  }
}

/** Formats zod issues as "path: message; …". */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/**
 * Validates a downloaded feed and returns its England & Wales division, events sorted by date.
 * @throws InvalidBankHolidayFeedError naming each broken field.
 */
export function parseBankHolidayFeed(json: unknown, what = 'the downloaded feed'): BankHolidayDivision {
  const result = BankHolidayFeedSchema.safeParse(json);
  if (!result.success) throw new InvalidBankHolidayFeedError(what, describeIssues(result.error));
  return sortedDivision(result.data[ENGLAND_AND_WALES]);
}

/**
 * Validates a snapshot file's content (a single division).
 * @throws InvalidBankHolidayFeedError naming each broken field.
 */
export function parseBankHolidayDivision(json: unknown, what = 'the bank-holiday snapshot'): BankHolidayDivision {
  const result = BankHolidayDivisionSchema.safeParse(json);
  if (!result.success) throw new InvalidBankHolidayFeedError(what, describeIssues(result.error));
  return sortedDivision(result.data);
}

function sortedDivision(division: BankHolidayDivision): BankHolidayDivision {
  return { division: division.division, events: [...division.events].sort((a, b) => (a.date < b.date ? -1 : 1)) };
}

/** Calendar years that have at least one event in the division (the feed publishes whole years). */
export function yearsCovered(division: BankHolidayDivision): number[] {
  return [...new Set(division.events.map((e) => Number(e.date.slice(0, 4))))].sort((a, b) => a - b);
}

/** The division's events as calendar holidays tagged `source`; a note such as "Substitute day" joins the name. */
export function holidaysFromDivision(division: BankHolidayDivision, source: string = GOV_UK_SOURCE): Holiday[] {
  return division.events.map((e) => ({
    date: parseIsoDate(e.date, 'events.date'),
    name: e.notes.trim() === '' ? e.title : `${e.title} (${e.notes.trim()})`,
    source,
  }));
}

/** What a refresh changed, by date. */
export interface DivisionChanges {
  readonly added: BankHolidayEvent[];
  readonly removed: BankHolidayEvent[];
  readonly changed: { readonly before: BankHolidayEvent; readonly after: BankHolidayEvent }[];
}

/** Compares two versions of the division event by event (keyed on date). */
export function diffDivisions(before: BankHolidayDivision | undefined, after: BankHolidayDivision): DivisionChanges {
  const old = new Map((before?.events ?? []).map((e) => [e.date, e]));
  const next = new Map(after.events.map((e) => [e.date, e]));
  const added = after.events.filter((e) => !old.has(e.date));
  const removed = (before?.events ?? []).filter((e) => !next.has(e.date));
  const changed = after.events.flatMap((e) => {
    const prior = old.get(e.date);
    return prior !== undefined && (prior.title !== e.title || prior.notes !== e.notes || prior.bunting !== e.bunting)
      ? [{ before: prior, after: e }]
      : [];
  });
  return { added, removed, changed };
}
