/**
 * How "within N working days of D" is counted. Authorities differ on whether the anchor day D is day 0 or
 * day 1, so the convention is a setting of the local procedure policy, never a constant in code.
 *
 * - `'anchor-is-day-0'` (**default**, timescales.md "Counting"): count working days strictly after D; the Nth
 *   one is the due date. D may be a weekend or holiday. Saturday 2026-08-29 + 1 → Tuesday 2026-09-01.
 * - `'anchor-is-day-1'`: when D is itself a working day it counts as day 1, so the due date is one working
 *   day earlier than under day 0 (Monday 2026-09-07 + 1 → Monday 2026-09-07). When D is not a working day
 *   the two conventions agree.
 *
 * Under both, N = 0 ("the same day") gives D itself.
 */
export type WorkingDayCounting = 'anchor-is-day-0' | 'anchor-is-day-1';

/** Every counting convention, for schema enums (e.g. `z.enum(WORKING_DAY_COUNTINGS)`). */
export const WORKING_DAY_COUNTINGS = [
  'anchor-is-day-0',
  'anchor-is-day-1',
] as const satisfies readonly WorkingDayCounting[];

/** The project default: the anchor is day 0 and counting starts strictly after it. */
export const DEFAULT_WORKING_DAY_COUNTING: WorkingDayCounting = 'anchor-is-day-0';
