/**
 * The scenario file `cpflow simulate` runs (documented in docs/scenarios.md): a referral, then commands at
 * given UK local times — case events to record, holidays announced mid-case — until a date, optionally with
 * SMTP outages and another policy. Validated with zod; every error names the field and the rule.
 */
import { z } from 'zod';
import { addDays, type IsoDate } from '../domain/calendar';
import {
  type CaseEvent,
  CaseEventSchema,
  describeProblems,
  type FieldProblem,
  IsoDateSchema,
  type Referral,
  ReferralSchema,
  StaffIdSchema,
  toFieldProblems,
} from '../domain/case';
import { dateOfUkLocal, isUkLocalTime, ukLocalToEpochMs } from './uk-time';

/** A scenario file breaks a rule; the message lists every field and rule. */
export class InvalidScenarioError extends Error {
  override readonly name = 'InvalidScenarioError';
  readonly problems: readonly FieldProblem[];

  constructor(label: string, problems: readonly FieldProblem[]) {
    super(`${label}: invalid scenario:\n${describeProblems(problems)}`);
    this.problems = problems;
  }
}

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, UK local time. */
const UkLocalTimeSchema = z
  .string({ error: 'must be a UK local time string' })
  .refine(isUkLocalTime, { error: 'must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (UK local time; a date alone means 10:00)' });

/** Record a case event: any CaseEvent; `occurredOn` defaults to the date of `at`, `recordedBy` to the referral's practitioner. */
const RecordStepSchema = z.strictObject({
  at: UkLocalTimeSchema,
  record: z.looseObject(
    { type: z.string({ error: 'must name the event type' }) },
    { error: 'must be a case event object' },
  ),
});

/** Announce a new holiday to the case (the applyHolidays update). */
const AnnounceHolidayStepSchema = z.strictObject({
  at: UkLocalTimeSchema,
  announceHoliday: z.strictObject({
    date: IsoDateSchema,
    name: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(100, { error: 'must be at most 100 characters' }),
  }),
  appliedBy: StaffIdSchema.optional(),
});

const ScenarioFileSchema = z.strictObject({
  description: z.string({ error: 'must be a string' }).max(500, { error: 'must be at most 500 characters' }).optional(),
  /** Policy name under config/policies/ or a JSON path relative to the scenario file. */
  policy: z.string({ error: 'must be a policy name or path' }).min(1, { error: 'must not be empty' }).optional(),
  referral: ReferralSchema,
  /** When the case is opened (default: `referral.receivedOn` at 10:00). */
  openedAt: UkLocalTimeSchema.optional(),
  events: z
    .array(
      z.union([RecordStepSchema, AnnounceHolidayStepSchema], {
        error: 'must be {at, record} or {at, announceHoliday}',
      }),
      {
        error: 'must be a list',
      },
    )
    .default([]),
  /** The simulation runs to the end of this date (UK time). */
  until: IsoDateSchema,
  smtpOutages: z
    .array(z.strictObject({ from: UkLocalTimeSchema, to: UkLocalTimeSchema }), {
      error: 'must be a list of {from, to}',
    })
    .default([]),
});

/** One command of a validated scenario, with its instant. */
export type ScenarioCommand =
  | { readonly at: number; readonly atLocal: string; readonly kind: 'record'; readonly event: CaseEvent }
  | {
      readonly at: number;
      readonly atLocal: string;
      readonly kind: 'announce-holiday';
      readonly holiday: { readonly date: IsoDate; readonly name: string };
      readonly appliedBy?: string;
    };

/** A validated scenario with every time resolved to an instant (epoch ms). */
export interface Scenario {
  readonly description?: string;
  readonly policy?: string;
  readonly referral: Referral;
  readonly openedAt: number;
  readonly commands: readonly ScenarioCommand[];
  /** Simulation ends at the start of the day after `until` (UK time). */
  readonly until: IsoDate;
  readonly endsAt: number;
  readonly smtpOutages: readonly { readonly from: number; readonly to: number }[];
}

/**
 * Validates a scenario (parsed JSON). `label` (the file name) prefixes errors.
 * @throws InvalidScenarioError listing every field and rule broken.
 */
export function parseScenario(input: unknown, label = 'scenario'): Scenario {
  const parsed = ScenarioFileSchema.safeParse(input);
  if (!parsed.success) throw new InvalidScenarioError(label, toFieldProblems(parsed.error.issues));
  const file = parsed.data;
  const problems: FieldProblem[] = [];
  const referral = file.referral;
  const openedAtLocal = file.openedAt ?? referral.receivedOn;
  const openedAt = ukLocalToEpochMs(openedAtLocal);
  if (dateOfUkLocal(openedAtLocal) < referral.receivedOn) {
    problems.push({ field: 'openedAt', rule: 'must not be before referral.receivedOn' });
  }

  const commands: ScenarioCommand[] = [];
  let previous = openedAt;
  file.events.forEach((step, i) => {
    const at = ukLocalToEpochMs(step.at);
    if (at < previous)
      problems.push({ field: `events[${i}].at`, rule: 'must not be before the previous event (or openedAt)' });
    previous = Math.max(previous, at);
    if (dateOfUkLocal(step.at) > file.until)
      problems.push({ field: `events[${i}].at`, rule: 'must not be after until' });
    if ('record' in step) {
      const event = CaseEventSchema.safeParse({
        occurredOn: dateOfUkLocal(step.at),
        recordedBy: referral.practitionerId,
        ...step.record,
      });
      if (!event.success) problems.push(...toFieldProblems(event.error.issues, ['events', i, 'record']));
      else commands.push({ at, atLocal: step.at, kind: 'record', event: event.data });
    } else {
      commands.push({
        at,
        atLocal: step.at,
        kind: 'announce-holiday',
        holiday: step.announceHoliday,
        ...(step.appliedBy !== undefined ? { appliedBy: step.appliedBy } : {}),
      });
    }
  });
  if (file.until < dateOfUkLocal(openedAtLocal))
    problems.push({ field: 'until', rule: 'must not be before the case is opened' });

  const smtpOutages = file.smtpOutages.map((outage, i) => {
    const from = ukLocalToEpochMs(outage.from);
    const to = ukLocalToEpochMs(outage.to);
    if (to <= from) problems.push({ field: `smtpOutages[${i}].to`, rule: 'must be after from' });
    return { from, to };
  });
  if (problems.length > 0) throw new InvalidScenarioError(label, problems);

  return {
    ...(file.description !== undefined ? { description: file.description } : {}),
    ...(file.policy !== undefined ? { policy: file.policy } : {}),
    referral,
    openedAt,
    commands,
    until: file.until,
    endsAt: ukLocalToEpochMs(`${addDays(file.until, 1)}T00:00`),
    smtpOutages,
  };
}
