/**
 * The shapes of the commands a case accepts from outside, checked at the boundary (zod) before the case looks
 * at them: a malformed command is refused with the field and the rule, never the value it carried.
 */
import { z } from 'zod';
import { type CaseEvent, CaseEventSchema, StaffIdSchema, toFieldProblems } from '../case';
import type { Refusal } from '../rules';
import { SYSTEM_ACTOR } from './types';

/** A parsed command, or why its shape was refused. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusals: readonly Refusal[] };

function shapeRefusals(issues: readonly z.core.$ZodIssue[], whole: string): Refusal[] {
  return toFieldProblems(issues).map((p) => ({
    code: 'invalid-shape',
    field: p.field || whole,
    rule: p.rule,
    section: 'command shape',
  }));
}

/** Parses the event of a `recordEvent` command. */
export function parseRecordEvent(raw: unknown): Parsed<CaseEvent> {
  const parsed = CaseEventSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, refusals: shapeRefusals(parsed.error.issues, 'event') };
}

const ApplyHolidaysShape = z.strictObject({
  holidays: z
    .array(z.unknown(), { error: 'must be a list of holidays' })
    .min(1, { error: 'must list at least one holiday' }),
  appliedBy: StaffIdSchema.optional(),
});

/** Parses an `applyHolidays` command (each holiday is checked by the case). */
export function parseApplyHolidays(raw: unknown): Parsed<{ holidays: unknown[]; appliedBy: string }> {
  const parsed = ApplyHolidaysShape.safeParse(raw);
  if (!parsed.success) return { ok: false, refusals: shapeRefusals(parsed.error.issues, 'command') };
  return { ok: true, value: { holidays: parsed.data.holidays, appliedBy: parsed.data.appliedBy ?? SYSTEM_ACTOR } };
}
