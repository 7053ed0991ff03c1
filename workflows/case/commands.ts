/**
 * Validation of the case workflow's commands, run in the update validators: zod schemas for the shape, the
 * procedure's rules (`validateEventAgainstCase`) for the state. A refused command throws an
 * `ApplicationFailure` of type `CommandRefused` naming the field and the rule; nothing changes.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { z } from 'zod';
import { type CalendarData, type Holiday, type IsoDate, validateHoliday } from '../../domain/calendar';
import { type CaseEvent, CaseEventSchema, type Referral, StaffIdSchema, toFieldProblems } from '../../domain/case';
import type { ProcedurePolicy } from '../../domain/policy';
import { checkEventAgainstCase } from '../../domain/rules';
import { type ApplyHolidaysCommand, COMMAND_REFUSED } from './messages';

/** Builds the `CommandRefused` failure for a list of `field: rule` lines. */
export function commandRefused(command: string, problems: readonly string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: COMMAND_REFUSED,
    message: `${command} refused: ${problems.join('; ')}`,
    nonRetryable: true,
  });
}

/**
 * Parses and checks an event against the case: shape (zod) then state (closed case, future date, no plan,
 * §2.17, unknown step…). Returns the parsed event.
 * @throws ApplicationFailure `CommandRefused` naming each field and rule.
 */
export function checkEventCommand(
  raw: unknown,
  state: { referral: Referral; events: readonly CaseEvent[]; policy: ProcedurePolicy; today: IsoDate },
): CaseEvent {
  const parsed = CaseEventSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = toFieldProblems(parsed.error.issues).map((p) => `${p.field || 'event'}: ${p.rule}`);
    throw commandRefused('recordEvent', problems);
  }
  const event = parsed.data;
  const refusals = checkEventAgainstCase({ referral: state.referral, events: state.events }, event, {
    policy: state.policy,
    today: state.today,
  });
  if (refusals.length > 0) {
    throw commandRefused(
      `recordEvent ${event.type}`,
      refusals.map((r) => `${r.field}: ${r.message} (${r.rule})`),
    );
  }
  return event;
}

const ApplyHolidaysShape = z.strictObject({
  holidays: z
    .array(z.unknown(), { error: 'must be a list of holidays' })
    .min(1, { error: 'must list at least one holiday' }),
  appliedBy: StaffIdSchema.optional(),
});

/**
 * Parses newly announced holidays: each a valid holiday, not already in the case's calendar, listed once.
 * @throws ApplicationFailure `CommandRefused` naming each field and rule.
 */
export function checkHolidaysCommand(
  raw: unknown,
  calendar: CalendarData,
): ApplyHolidaysCommand & { holidays: Holiday[] } {
  const shape = ApplyHolidaysShape.safeParse(raw);
  if (!shape.success) {
    throw commandRefused(
      'applyHolidays',
      toFieldProblems(shape.error.issues).map((p) => `${p.field || 'command'}: ${p.rule}`),
    );
  }
  const known = new Set(calendar.holidays.map((h) => h.date));
  const seen = new Set<string>();
  const problems: string[] = [];
  const holidays: Holiday[] = [];
  shape.data.holidays.forEach((entry, i) => {
    try {
      const holiday = validateHoliday(entry, i);
      if (known.has(holiday.date)) problems.push(`holidays[${i}].date: is already a holiday in the case's calendar`);
      else if (seen.has(holiday.date)) problems.push(`holidays[${i}].date: is listed twice`);
      else holidays.push(holiday);
      seen.add(holiday.date);
    } catch (err) {
      problems.push((err as Error).message);
    }
  });
  const covered = calendar.coveredYears;
  if (covered !== undefined) {
    holidays.forEach((h, i) => {
      const year = Number(h.date.slice(0, 4));
      if (year < covered.from || year > covered.to) {
        problems.push(
          `holidays[${i}].date: is outside the years the case's calendar covers (${covered.from}–${covered.to})`,
        );
      }
    });
  }
  if (problems.length > 0) throw commandRefused('applyHolidays', problems);
  return shape.data.appliedBy === undefined ? { holidays } : { holidays, appliedBy: shape.data.appliedBy };
}
