/**
 * The shapes of the commands a case accepts from outside, checked at the boundary (zod) before the case looks
 * at them: a malformed command is refused with the field and the rule, never the value it carried.
 */
import { z } from 'zod';
import {
  CalendarCoverageError,
  type CalendarData,
  type IsoDate,
  sharedCalendar,
  type WorkingDayCalendar,
} from '../calendar';
import { planTimeline } from '../planner';
import {
  CORRECTION_REASONS,
  type CaseEvent,
  CaseEventSchema,
  type Referral,
  ReferralSchema,
  StaffIdSchema,
  toFieldProblems,
} from '../case';
import { type ProcedurePolicy, ProcedurePolicySchema } from '../policy';
import type { Refusal } from '../rules';
import { SYSTEM_ACTOR } from './types';

/** A parsed command, or why its shape was refused. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusals: readonly Refusal[] };

function shapeRefusals(issues: readonly z.core.$ZodIssue[], whole: string, prefix?: string): Refusal[] {
  return toFieldProblems(issues).map((p) => ({
    code: 'invalid-shape',
    field: p.field === '' ? whole : prefix === undefined ? p.field : `${prefix}.${p.field}`,
    rule: p.rule,
    section: 'command shape',
  }));
}

/** The shortest run history a case may ask for: below it a run would spend itself continuing as new. */
export const MIN_HISTORY_LENGTH_LIMIT = 100;
/** The longest: Temporal warns at 10,240 events and a run must stay well below its 51,200 limit. */
export const MAX_HISTORY_LENGTH_LIMIT = 10_000;

const RunLimitsSchema = z
  .strictObject({
    historyLength: z
      .int({ error: 'must be a whole number' })
      .min(MIN_HISTORY_LENGTH_LIMIT, { error: `must be at least ${MIN_HISTORY_LENGTH_LIMIT}` })
      .max(MAX_HISTORY_LENGTH_LIMIT, { error: `must be at most ${MAX_HISTORY_LENGTH_LIMIT}` })
      .optional(),
  })
  .optional();

/** Parses the limits a case or forensic wait runs with (absent: the defaults). */
export function parseRunLimits(raw: unknown): Parsed<{ readonly historyLength?: number } | undefined> {
  const parsed = RunLimitsSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, refusals: shapeRefusals(parsed.error.issues, 'limits', 'limits') };
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
    .min(1, { error: 'must list at least one holiday' })
    // A year has a handful of bank holidays; a list of thousands is not an announcement.
    .max(100, { error: 'must list at most 100 holidays' }),
  appliedBy: StaffIdSchema.optional(),
});

/** Parses an `applyHolidays` command (each holiday is checked by the case). */
export function parseApplyHolidays(raw: unknown): Parsed<{ holidays: unknown[]; appliedBy: string }> {
  const parsed = ApplyHolidaysShape.safeParse(raw);
  if (!parsed.success) return { ok: false, refusals: shapeRefusals(parsed.error.issues, 'command') };
  return { ok: true, value: { holidays: parsed.data.holidays, appliedBy: parsed.data.appliedBy ?? SYSTEM_ACTOR } };
}

/** What a case is opened with, checked. */
export interface CaseOpening {
  readonly referral: Referral;
  readonly policy: ProcedurePolicy;
  readonly calendar: CalendarData;
}

/**
 * Checks what a case is opened with — at the client before it starts the case, and by the case itself before it
 * plans anything: the referral and the policy well formed, the referral not dated after `today` (the UK date),
 * and its date inside the calendar the case plans with.
 */
export function parseCaseOpening(raw: { referral: unknown; policy: unknown; calendar: unknown }, today: IsoDate) {
  const refusals: Refusal[] = [];
  const referral = ReferralSchema.safeParse(raw.referral);
  if (!referral.success) refusals.push(...shapeRefusals(referral.error.issues, 'referral', 'referral'));
  const policy = ProcedurePolicySchema.safeParse(raw.policy);
  if (!policy.success) refusals.push(...shapeRefusals(policy.error.issues, 'policy', 'policy'));
  let calendar: WorkingDayCalendar | undefined;
  try {
    calendar = sharedCalendar(raw.calendar as CalendarData);
  } catch {
    refusals.push({
      code: 'invalid-calendar',
      field: 'calendar',
      rule: 'must be a list of holidays with the years it covers',
      section: 'case calendar',
    });
  }
  if (referral.success) refusals.push(...referralDateRefusals(referral.data, today, calendar));
  if (referral.success && policy.success && !policy.data.authorities.some((a) => a.id === referral.data.authority)) {
    refusals.push({
      code: 'unknown-authority',
      field: 'referral.authority',
      rule: `must be one of the authorities policy ${policy.data.id} serves: ${policy.data.authorities.map((a) => a.id).join(', ')}`,
      section: 'procedure policy',
    });
  }
  if (refusals.length > 0 || !referral.success || !policy.success || calendar === undefined) {
    return { ok: false, refusals } as const;
  }
  try {
    planTimeline({ referral: referral.data, events: [], policy: policy.data, calendar, today });
  } catch (err) {
    if (!(err instanceof CalendarCoverageError)) throw err;
    return {
      ok: false,
      refusals: [
        {
          code: 'beyond-calendar',
          field: 'referral',
          rule: 'its deadlines would fall beyond the years the case can plan for',
          section: 'case calendar',
        },
      ],
    } as const;
  }
  const value: CaseOpening = { referral: referral.data, policy: policy.data, calendar: calendar.toData() };
  return { ok: true, value } as const;
}

/** The referral's dates: none in the future, each inside the calendar the case plans with. */
function referralDateRefusals(referral: Referral, today: IsoDate, calendar: WorkingDayCalendar | undefined): Refusal[] {
  const { police } = referral;
  const dates: [string, IsoDate | undefined][] = [
    ['referral.receivedOn', referral.receivedOn],
    ['referral.police.arrestedOn', police.arrestedOn],
    ['referral.police.devicesSeized.seizedOn', police.devicesSeized.seizedOn],
    ['referral.police.preChargeBailGrantedOn', police.preChargeBailGrantedOn],
  ];
  const refusals: Refusal[] = [];
  for (const [field, date] of dates) {
    if (date === undefined) continue;
    if (date > today) {
      refusals.push({ code: 'in-the-future', field, rule: 'must not be in the future', section: 'case lifecycle' });
    } else if (calendar !== undefined && !calendar.covers(date)) {
      refusals.push({
        code: 'outside-calendar',
        field,
        rule: 'must be within the years the case can plan for',
        section: 'case calendar',
      });
    }
  }
  return refusals;
}

/** A correction of a recorded event: amend it (same type) or withdraw it, with a reason. */
export interface EventCorrection {
  /** The audit position of the event corrected (`case show` lists them). */
  readonly seq: number;
  readonly action: 'amend' | 'withdraw';
  readonly reason: (typeof CORRECTION_REASONS)[number];
  readonly recordedBy: string;
  /** The event as it should have been recorded (amend only). */
  readonly event?: CaseEvent;
}

const CorrectionShape = z
  .strictObject({
    seq: z
      .number({ error: 'must be the audit position of a recorded event' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be 1 or more' }),
    action: z.enum(['amend', 'withdraw'], { error: 'must be one of: amend, withdraw' }),
    reason: z.enum(CORRECTION_REASONS, { error: `must be one of: ${CORRECTION_REASONS.join(', ')}` }),
    recordedBy: StaffIdSchema,
    event: CaseEventSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.action === 'amend' && c.event === undefined) {
      ctx.addIssue({ code: 'custom', path: ['event'], message: 'is required to amend an event' });
    }
    if (c.action === 'withdraw' && c.event !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['event'], message: 'must be absent when withdrawing an event' });
    }
  });

/** Parses a `correctEvent` command. */
export function parseCorrectEvent(raw: unknown): Parsed<EventCorrection> {
  const parsed = CorrectionShape.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, refusals: shapeRefusals(parsed.error.issues, 'command') };
}
