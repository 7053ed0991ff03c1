/**
 * How far a deadline lies from what it counts from: exactly one of working days, calendar months or weeks,
 * or the review date recorded on the anchoring event (written agreements, §2.10–2.11).
 */
import { z } from 'zod';

const positiveWholeNumber = z
  .number({ error: 'must be a positive integer' })
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });

/** An offset: `{ "workingDays": 1 }`, `{ "calendarMonths": 3 }`, `{ "weeks": 6 }` or `{ "recordedReviewDate": true }`. */
export const OffsetSchema = z
  .strictObject(
    {
      workingDays: positiveWholeNumber.optional(),
      calendarMonths: positiveWholeNumber.optional(),
      weeks: positiveWholeNumber.optional(),
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
  if (offset.workingDays !== undefined)
    return `${offset.workingDays} working day${offset.workingDays === 1 ? '' : 's'}`;
  if (offset.calendarMonths !== undefined)
    return `${offset.calendarMonths} month${offset.calendarMonths === 1 ? '' : 's'}`;
  if (offset.weeks !== undefined) return `${offset.weeks} week${offset.weeks === 1 ? '' : 's'}`;
  return 'the review date recorded';
}
