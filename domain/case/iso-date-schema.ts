/**
 * Zod schema for calendar dates, delegating to the calendar's own parser so both agree on what a date is.
 */
import { z } from 'zod';
import { type IsoDate, InvalidDateError, parseIsoDate } from '../calendar';

/** A real calendar date 'YYYY-MM-DD', output branded as {@link IsoDate}; the error states the rule broken. */
export const IsoDateSchema = z
  .string({ error: 'must be a date in the form YYYY-MM-DD' })
  .superRefine((value, ctx) => {
    try {
      parseIsoDate(value, 'date');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof InvalidDateError ? err.rule : 'must be a real date' });
    }
  })
  // Says "a date" to JSON Schema readers: the OpenAPI document and the web forms derived from the schemas.
  .meta({ format: 'date' })
  .transform((value) => value as IsoDate);
