/**
 * The local procedure policy: every step of the pathway with its deadline, the rule it implements, its
 * reminders and escalations, and the counting conventions that vary between authorities (timescales.md).
 * One JSON file per local authority under `config/policies/`; nothing in code falls back to a default.
 */
import { z } from 'zod';
import { BAIL_AUTHORITIES, CASE_EVENT_TYPES, type CaseEventType, STEP_ID_PATTERN, StaffIdSchema } from '../case';
import { WORKING_DAY_COUNTINGS } from '../calendar';
import { ANCHOR_IDS, type AnchorId, FORENSIC_WAIT_ANCHORS, isReferralAnchor, isTriggerAnchor } from './anchors';
import { OffsetSchema } from './offset';

/** Who receives a reminder or escalation. */
export const RECIPIENT_ROLES = ['practitioner', 'team-manager', 'service-manager'] as const;
/** A recipient role. */
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

/** Which timeline a step belongs to. §2.17: the forensic track never holds back the child-protection one. */
export const STEP_TRACKS = ['child-protection', 'lado', 'forensic'] as const;
/** Outcomes an event must record to complete a step, when the step says so. */
export const COMPLETION_CONDITIONS = ['section-47-initiated'] as const;
/**
 * Periods during which a step applies: a child protection plan; the forensic wait (from the seizure of devices or
 * bail until the police decide); the examination of the devices (from the seizure until the results).
 */
export const STEP_PERIODS = ['child-protection-plan', 'forensic-wait', 'forensic-examination'] as const;

const kebabId = z
  .string({ error: 'must be a kebab-case id string' })
  .regex(STEP_ID_PATTERN, { error: 'must be a kebab-case id (lowercase letters, digits, single hyphens)' });
/** Titles, names and sources of a policy: one line, bounded — titles reach email subjects (emailTitle cuts them). */
const nonEmptyText = z
  .string({ error: 'must be a non-empty string' })
  .trim()
  .min(1, { error: 'must be a non-empty string' })
  .max(1000, { error: 'must be at most 1000 characters' })
  .regex(/^[^\x00-\x1f\x7f]*$/, { error: 'must be one line of text' });
const wholeNumber = (min: number, rule: string) =>
  z.number({ error: rule }).int({ error: rule }).min(min, { error: rule });
const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(', ')}` });

/** A reminder: `workingDaysBeforeDue` working days before the due date (0 = on it). */
export const ReminderRuleSchema = z.strictObject({
  to: enumOf(RECIPIENT_ROLES),
  workingDaysBeforeDue: wholeNumber(0, 'must be a whole number from 0 to 20').max(20, {
    error: 'must be a whole number from 0 to 20',
  }),
});

/** An escalation: `workingDaysAfterDue` working days after the due date while the step is still open. */
export const EscalationRuleSchema = z.strictObject({
  to: enumOf(RECIPIENT_ROLES),
  workingDaysAfterDue: wholeNumber(
    1,
    'must be a whole number from 1 to 60 (an escalation happens once the step is overdue)',
  ).max(60, { error: 'must be a whole number from 1 to 60 (an escalation happens once the step is overdue)' }),
});

const remindersList = z.array(ReminderRuleSchema, { error: 'must be a list of reminders' }).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((r, i) => {
    const key = `${r.to}:${r.workingDaysBeforeDue}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: 'duplicates an earlier reminder' });
    seen.add(key);
  });
});

const escalationChain = z
  .array(EscalationRuleSchema, { error: 'must be a list of escalations' })
  .superRefine((list, ctx) => {
    list.forEach((e, i) => {
      if (i > 0 && e.workingDaysAfterDue <= list[i - 1].workingDaysAfterDue) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'workingDaysAfterDue'],
          message: 'must be later than the previous escalation in the chain',
        });
      }
    });
  });

/** Recurrence of a step while a period lasts: occurrence n+1 counts from occurrence n by `every`. */
export const RepeatSchema = z.strictObject({
  every: OffsetSchema,
  /** Id of the first occurrence (e.g. `first-core-group`); later ones are `<id>-<n>` (e.g. `core-group-2`). */
  firstOccurrenceId: kebabId.optional(),
});

/** One step of the procedure. */
export const ProcedureStepSchema = z.strictObject({
  id: kebabId,
  title: nonEmptyText,
  track: enumOf(STEP_TRACKS),
  /** The event or fact the deadline counts from. */
  countsFrom: enumOf(ANCHOR_IDS as unknown as readonly [AnchorId, ...AnchorId[]]),
  offset: OffsetSchema,
  /** The event type whose recording completes the step. */
  completedBy: enumOf(CASE_EVENT_TYPES as unknown as readonly [CaseEventType, ...CaseEventType[]]),
  /**
   * Which recorded events count as completing it: those on or after the anchor date (`anchor`) or on or after
   * the due date (`due-date`, for milestones such as bail reviews).
   */
  completedOnOrAfter: enumOf(['anchor', 'due-date'] as const),
  /** Only events with this outcome complete the step (a strategy discussion that initiated a S47 enquiry). */
  completedOnlyWhen: enumOf(COMPLETION_CONDITIONS).optional(),
  /**
   * The step is planned only once this is known too (an ICPC counts from the strategy discussion that initiated
   * the enquiry but is planned only once a conference is decided, §2.16); until then it waits, with no due date.
   */
  plannedOnceKnown: enumOf(ANCHOR_IDS as unknown as readonly [AnchorId, ...AnchorId[]]).optional(),
  /**
   * §2.18: the step starts again with the new enquiry that serious forensic results open (counted from the new
   * strategy discussion, with what is recorded since).
   */
  restartsWithNewEnquiry: z.boolean({ error: 'must be true or false' }).optional(),
  /**
   * The step is due at the latest when the next open step of these series is (e.g. a written agreement reviewed
   * at the latest at the next child-protection meeting): series ids of other steps.
   */
  notLaterThanNext: z.array(kebabId, { error: 'must be a list of step ids' }).optional(),
  /** The § of the guidelines or the source in timescales.md this step implements. */
  rule: nonEmptyText,
  /** The step applies only during this period. */
  during: enumOf(STEP_PERIODS).optional(),
  repeat: RepeatSchema.optional(),
  /** Overrides the policy's reminders for this step ([] = none). */
  reminders: remindersList.optional(),
  /** Overrides the policy's escalation chain for this step ([] = none). */
  escalations: escalationChain.optional(),
});

/** One limit of pre-charge bail: how far from the bail start date, and who may authorise bail to that date. */
export const BailLimitSchema = z.strictObject({
  monthsFromStart: wholeNumber(1, 'must be a whole number from 1 to 24').max(24, {
    error: 'must be a whole number from 1 to 24',
  }),
  authorisedBy: enumOf(BAIL_AUTHORITIES),
});

/**
 * Pre-charge bail as the law sets it (PACE 1984 ss.47ZB–47ZG, as amended by the Police, Crime, Sentencing and
 * Courts Act 2022): the limits in order with the authority for each, then extensions by a court.
 */
export const PreChargeBailSchema = z
  .strictObject({
    /** The law these limits come from, cited on every refusal. */
    source: nonEmptyText,
    limits: z.array(BailLimitSchema, { error: 'must be a list of bail limits' }).min(1, {
      error: 'must list at least the initial limit',
    }),
    court: z.strictObject({
      authorisedBy: enumOf(BAIL_AUTHORITIES),
      /** The most one court extension may add to the bail end date. */
      maxMonthsPerExtension: wholeNumber(1, 'must be a whole number from 1 to 12').max(12, {
        error: 'must be a whole number from 1 to 12',
      }),
    }),
  })
  .superRefine((bail, ctx) => {
    bail.limits.forEach((limit, i) => {
      if (i > 0 && limit.monthsFromStart <= bail.limits[i - 1].monthsFromStart) {
        ctx.addIssue({
          code: 'custom',
          path: ['limits', i, 'monthsFromStart'],
          message: 'must be later than the previous limit',
        });
      }
    });
  });

/**
 * One local authority the procedure serves, with the service manager and the LADO its escalations and referrals
 * go to (staff ids: the staff directory holds their addresses).
 */
export const AuthoritySchema = z.strictObject({
  id: kebabId,
  name: nonEmptyText,
  serviceManager: StaffIdSchema,
  lado: StaffIdSchema,
});

const PolicyObjectSchema = z.strictObject({
  id: kebabId,
  title: nonEmptyText,
  authority: nonEmptyText,
  /** The authorities this procedure serves; a case belongs to one of them. */
  authorities: z
    .array(AuthoritySchema, { error: 'must be a list of authorities' })
    .min(1, { error: 'must list at least one authority' })
    .superRefine((list, ctx) => {
      list.forEach((a, i) => {
        if (list.findIndex((b) => b.id === a.id) < i) {
          ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'duplicates an earlier authority' });
        }
      });
    }),
  version: nonEmptyText,
  counting: z.strictObject({
    /** Whether the anchor day is day 0 (default in timescales.md) or day 1. */
    workingDays: enumOf(WORKING_DAY_COUNTINGS),
    /** Where a months/weeks deadline landing on a weekend or holiday moves. */
    calendarDeadlineOnNonWorkingDay: enumOf(['previous-working-day', 'next-working-day'] as const),
  }),
  /** Whether the ICPC counts from the first strategy discussion or the last one before it. */
  strategyDiscussionAnchor: enumOf(['first', 'last'] as const),
  notifications: z.strictObject({
    reminders: remindersList,
    escalations: escalationChain,
  }),
  preChargeBail: PreChargeBailSchema,
  steps: z
    .array(ProcedureStepSchema, { error: 'must be a list of steps' })
    .min(1, { error: 'must list at least one step' }),
});

/** The procedure policy of one local authority, with its cross-references checked. */
export const ProcedurePolicySchema = PolicyObjectSchema.superRefine((policy, ctx) => checkCrossReferences(policy, ctx));

/** A validated procedure policy. */
export type ProcedurePolicy = z.output<typeof ProcedurePolicySchema>;
/** An authority the policy serves. */
export type Authority = ProcedurePolicy['authorities'][number];
/** Pre-charge bail limits of a policy. */
export type PreChargeBail = ProcedurePolicy['preChargeBail'];
/** A validated step. */
export type ProcedureStep = ProcedurePolicy['steps'][number];
/** A reminder rule. */
export type ReminderRule = z.output<typeof ReminderRuleSchema>;
/** An escalation rule. */
export type EscalationRule = z.output<typeof EscalationRuleSchema>;

type PolicyShape = z.output<typeof PolicyObjectSchema>;

/**
 * Cross-references: unique step and occurrence ids, anchors that can be dated, no circular counting, the
 * review-date offset only on written agreements, and §2.17 (child-protection steps never wait on the police).
 */
function checkCrossReferences(policy: PolicyShape, ctx: z.RefinementCtx): void {
  const ids = new Map<string, number>();
  policy.steps.forEach((step, i) => {
    const names = [step.id, ...(step.repeat?.firstOccurrenceId !== undefined ? [step.repeat.firstOccurrenceId] : [])];
    for (const name of names) {
      if (ids.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, name === step.id ? 'id' : 'repeat'],
          message: `duplicates the id of steps[${ids.get(name)}]`,
        });
      } else {
        ids.set(name, i);
      }
    }
    if (step.repeat !== undefined && /-\d+$/.test(step.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'id'],
        message: 'a repeating step id must not end in -<number>',
      });
    }
    if (step.offset.recordedReviewDate === true && step.countsFrom !== 'written-agreement') {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'offset', 'recordedReviewDate'],
        message: 'is only allowed when countsFrom is written-agreement',
      });
    }
    if (step.completedOnlyWhen === 'section-47-initiated' && step.completedBy !== 'strategy-discussion') {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'completedOnlyWhen'],
        message: 'section-47-initiated applies only when completedBy is strategy-discussion',
      });
    }
    for (const [k, id] of (step.notLaterThanNext ?? []).entries()) {
      if (!policy.steps.some((other) => other.id === id && other !== step)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'notLaterThanNext', k],
          message: 'must be the id of another step',
        });
      }
    }
    if (step.repeat?.every.workingDays === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'repeat', 'every', 'workingDays'],
        message: 'must be at least 1 (a step cannot recur on the same day)',
      });
    }
    if (step.repeat?.every.recordedReviewDate === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'repeat', 'every'],
        message: 'must be a working-day, month or week interval',
      });
    }
    if (step.track === 'child-protection' && step.plannedOnceKnown !== undefined) {
      if (FORENSIC_WAIT_ANCHORS.includes(step.plannedOnceKnown)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'plannedOnceKnown'],
          message: '§2.17: a child-protection step must not wait on the police investigation',
        });
      }
    }
    if (
      step.track === 'child-protection' &&
      (FORENSIC_WAIT_ANCHORS.includes(step.countsFrom) || step.during === 'forensic-wait')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, step.during === 'forensic-wait' ? 'during' : 'countsFrom'],
        message: '§2.17: a child-protection step must not wait on the police investigation',
      });
    }
  });

  // The step that projects each event anchor: the first non-repeating step completed by that event.
  const projector = new Map<string, number>();
  policy.steps.forEach((step, i) => {
    if (isProjector(step) && !projector.has(step.completedBy)) {
      projector.set(step.completedBy, i);
    }
  });

  // Circular counting: follow countsFrom → projecting step; report each step that comes back to itself.
  policy.steps.forEach((step, i) => {
    const chain = [i];
    let anchor: AnchorId = step.countsFrom;
    for (;;) {
      if (isReferralAnchor(anchor) || isTriggerAnchor(anchor)) break;
      const next = projector.get(anchor);
      if (next === undefined) break;
      if (next === i) {
        const names = [...chain, i].map((k) => policy.steps[k].id).join(' → ');
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'countsFrom'], message: `counts in a circle: ${names}` });
        break;
      }
      if (chain.includes(next)) break;
      chain.push(next);
      anchor = policy.steps[next].countsFrom;
    }
  });
}

/** The index of the step that projects `anchor` when its event is not yet recorded, if any. */
export function projectingStepIndex(policy: ProcedurePolicy, anchor: AnchorId): number | undefined {
  const i = policy.steps.findIndex((s) => isProjector(s) && s.completedBy === anchor);
  return i < 0 ? undefined : i;
}

/**
 * Whether a step's due date stands in for its completing event while that event is not yet recorded: a
 * one-off step, completed unconditionally, that does not count from its own event type.
 */
function isProjector(step: ProcedureStep): boolean {
  return step.repeat === undefined && step.completedOnlyWhen === undefined && step.countsFrom !== step.completedBy;
}
