/**
 * How far a deadline lies from what it counts from: exactly one of working days, calendar months or weeks,
 * or the review date recorded on the anchoring event (written agreements, §2.10–2.11).
 */
import { z } from 'zod';

/**
 * The longest offsets a policy may set: two years. Every deadline must fall inside the years a case's calendar
 * covers; no step of the procedure counts further ahead than a review conference or a bail limit.
 */
export const MAX_OFFSET = { workingDays: 520, calendarMonths: 24, weeks: 104 } as const;

const wholeNumberUpTo = (min: 0 | 1, max: number) => {
  const rule = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: rule }).int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });
};

/** An offset: `{ "workingDays": 1 }`, `{ "calendarMonths": 3 }`, `{ "weeks": 6 }` or `{ "recordedReviewDate": true }`. */
export const OffsetSchema = z
  .strictObject(
    {
      /** 0 = the same day as the anchor (§2.13 same-day assessment). */
      workingDays: wholeNumberUpTo(0, MAX_OFFSET.workingDays).optional(),
      calendarMonths: wholeNumberUpTo(1, MAX_OFFSET.calendarMonths).optional(),
      weeks: wholeNumberUpTo(1, MAX_OFFSET.weeks).optional(),
      recordedReviewDate: z.literal(true, { error: 'must be true when given' }).optional(),
    },
    { error: 'must be an object with one of workingDays, calendarMonths, weeks, recordedReviewDate' },
  )
  .superRefine((offset, ctx) => {
    const given = Object.keys(offset).filter((k) => offset[k as keyof typeof offset] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'must give exactly one of workingDays, calendarMonths, weeks, recordedReviewDate',
      });
    }
  });

/** A validated offset. */
export type Offset = z.output<typeof OffsetSchema>;

/** Describes an offset in words, e.g. "15 working days", "3 months". */
export function describeOffset(offset: Offset): string {
  if (offset.workingDays === 0) return 'the same day';
  if (offset.workingDays !== undefined)
    return `${offset.workingDays} working day${offset.workingDays === 1 ? '' : 's'}`;
  if (offset.calendarMonths !== undefined)
    return `${offset.calendarMonths} month${offset.calendarMonths === 1 ? '' : 's'}`;
  if (offset.weeks !== undefined) return `${offset.weeks} week${offset.weeks === 1 ? '' : 's'}`;
  return 'the review date recorded';
}
