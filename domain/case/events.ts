/**
 * Every event a practitioner records on a case, as a discriminated union on `type`. Each carries the date it
 * happened (`occurredOn`) and who recorded it (`recordedBy`). Checklists are enumerations from the guidelines'
 * §s — never free text about the allegation.
 */
import { z } from 'zod';
import {
  ABUSE_CATEGORIES,
  BAIL_ACTIONS,
  BAIL_AUTHORITIES,
  CHILD_INTERVIEW_DECISIONS_5_1,
  CLOSURE_REASONS,
  CONVENING_REASONS_2_16,
  CONCERN_FACTORS_3_7,
  EXTENSION_REASONS,
  FORENSIC_FINDINGS,
  FORENSIC_STATUSES,
  HARM_CONSEQUENCES_2_23,
  HARM_PROBABILITIES_2_23,
  ICPC_NOT_REQUIRED_REASONS,
  IMAGE_CATEGORIES_2_5,
  INFORMATION_ITEMS_2_18,
  LADO_OUTCOMES,
  LEAVING_HOME_DECISIONS_2_10,
  NOT_REQUIRED_REASONS,
  POLICE_OUTCOMES,
  PROTECTIVE_QUALITIES_3_10,
  QUESTION_ANSWERS,
  REFERRAL_DECISIONS,
  RISK_ANALYSIS_DIMENSIONS_2_23,
  RISK_FACTORS_2_9,
  STRATEGY_QUESTIONS_2_6,
  WRITTEN_AGREEMENT_TERMS_2_11,
} from './checklists';
import { StaffIdSchema, TeamIdSchema } from './identifiers';
import { IsoDateSchema } from './iso-date-schema';

/** A step id or recurring occurrence id in kebab-case, e.g. `icpc`, `visit-3`. */
export const STEP_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Schema for a step id referenced by an event. */
export const StepIdSchema = z
  .string({ error: 'must be a step id string' })
  .regex(STEP_ID_PATTERN, { error: 'must be a step id in kebab-case, e.g. icpc or visit-3' });

/** Builds a strict enum whose error lists the allowed values. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of: ${values.join(', ')}` });
}

/** Builds a list of distinct enum values. */
function distinctList<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .array(oneOf(values), { error: 'must be a list' })
    .refine((list) => new Set(list).size === list.length, { error: 'must not list the same item twice' });
}

const common = {
  occurredOn: IsoDateSchema,
  recordedBy: StaffIdSchema,
};

/** Decision on the referral (Working Together; §2.3 presumes a Section 47 enquiry). */
export const ReferralDecisionEventSchema = z.strictObject({
  type: z.literal('referral-decision'),
  ...common,
  decision: oneOf(REFERRAL_DECISIONS),
});

/** A strategy discussion: §2.6 questions answered, §2.9 risk factors, §2.10 decision. */
export const StrategyDiscussionEventSchema = z.strictObject({
  type: z.literal('strategy-discussion'),
  ...common,
  /** Whether the discussion initiated a Section 47 enquiry (§2.3; census S47ActualStartDate N00148). */
  section47: oneOf(['initiated', 'not-initiated'] as const),
  /** §2.6: the answer recorded against each question considered. */
  questions: z.partialRecord(oneOf(STRATEGY_QUESTIONS_2_6), oneOf(QUESTION_ANSWERS), {
    error: 'must map §2.6 question ids to yes, no or not-known',
  }),
  /** §2.9: the risk factors present (empty when none). */
  riskFactors: distinctList(RISK_FACTORS_2_9),
  /** §2.10: whether the alleged person leaves the home, or how risk is managed. */
  leavingHomeDecision: oneOf(LEAVING_HOME_DECISIONS_2_10).optional(),
  /** §5.1: whether and how the children are to be interviewed. */
  childInterviews: oneOf(CHILD_INTERVIEW_DECISIONS_5_1).optional(),
});

/** Interview with the partner / non-offending carer (§2.14, §3.6). */
export const PartnerInterviewEventSchema = z.strictObject({
  type: z.literal('partner-interview'),
  ...common,
});

/** Interview with the alleged perpetrator (§2.15; §6.1 recommends two interviewers). */
export const AllegedPerpetratorInterviewEventSchema = z.strictObject({
  type: z.literal('alleged-perpetrator-interview'),
  ...common,
  interviewers: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' }),
});

/** §2.18 information obtained from the police and own enquiries, incl. §2.5 image categories. */
export const InformationGatheredEventSchema = z.strictObject({
  type: z.literal('information-gathered'),
  ...common,
  imageCategories: distinctList(IMAGE_CATEGORIES_2_5),
  items: distinctList(INFORMATION_ITEMS_2_18),
});

/** §3.7 factors of concern and §3.10 protective qualities observed in the family. */
export const ProtectiveCarerAssessmentEventSchema = z.strictObject({
  type: z.literal('protective-carer-assessment'),
  ...common,
  concerns: distinctList(CONCERN_FACTORS_3_7),
  protectiveQualities: distinctList(PROTECTIVE_QUALITIES_3_10),
});

/** §2.23 judgement of risk. */
export const RiskJudgementEventSchema = z.strictObject({
  type: z.literal('risk-judgement'),
  ...common,
  analysed: distinctList(RISK_ANALYSIS_DIMENSIONS_2_23),
  harmConsequences: oneOf(HARM_CONSEQUENCES_2_23),
  probability: oneOf(HARM_PROBABILITIES_2_23),
});

/** Child and family assessment completed and authorised (census N00159/N00160). */
export const AssessmentCompletedEventSchema = z.strictObject({
  type: z.literal('assessment-completed'),
  ...common,
  startedOn: IsoDateSchema,
  authorisedBy: StaffIdSchema,
});

/** Initial Child Protection Conference held (census DateOfInitialCPC N00110). */
export const IcpcEventSchema = z
  .strictObject({
    type: z.literal('icpc'),
    ...common,
    outcome: oneOf(['child-protection-plan', 'no-plan'] as const),
    /** Required when a plan is made (census InitialCategoryOfAbuse N00113). */
    category: oneOf(ABUSE_CATEGORIES).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.outcome === 'child-protection-plan' && event.category === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['category'],
        message: 'is required when the outcome is a child protection plan',
      });
    }
    if (event.outcome === 'no-plan' && event.category !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'must be absent when no plan is made' });
    }
  });

/** ICPC not required, with the reason (census ICPCnotRequired N00111; §2.16). */
export const IcpcNotRequiredEventSchema = z.strictObject({
  type: z.literal('icpc-not-required'),
  ...common,
  reason: oneOf(ICPC_NOT_REQUIRED_REASONS),
});

/**
 * A manager's decision to convene an ICPC where §2.16 does not presume one, with the reason. Where §2.16
 * applies, the strategy discussion that initiated the Section 47 enquiry is the decision to convene.
 */
export const IcpcConvenedEventSchema = z.strictObject({
  type: z.literal('icpc-convened'),
  ...common,
  decidedBy: StaffIdSchema,
  reason: oneOf(CONVENING_REASONS_2_16),
});

/** The ICPC booked for a date (the booking is due 1 working day after the decision to convene). */
export const IcpcBookedEventSchema = z
  .strictObject({
    type: z.literal('icpc-booked'),
    ...common,
    conferenceOn: IsoDateSchema,
  })
  .superRefine((event, ctx) => {
    if (event.conferenceOn < event.occurredOn) {
      ctx.addIssue({ code: 'custom', path: ['conferenceOn'], message: 'must not be before occurredOn' });
    }
  });

/** The written agreement was breached (§2.10–2.11): a new strategy discussion is due. */
export const WrittenAgreementBreachedEventSchema = z.strictObject({
  type: z.literal('written-agreement-breached'),
  ...common,
});

/** Specialist advice sought where the alleged person is a young person (§1.7, e.g. the AIM assessment model). */
export const SpecialistAdviceSoughtEventSchema = z.strictObject({
  type: z.literal('specialist-advice-sought'),
  ...common,
});

/** A statutory visit to the child on a plan. */
export const VisitEventSchema = z.strictObject({ type: z.literal('visit'), ...common });

/** A core group meeting. */
export const CoreGroupEventSchema = z.strictObject({ type: z.literal('core-group'), ...common });

/** A review child protection conference (census CPPreviewDate N00116). */
export const ReviewConferenceEventSchema = z.strictObject({
  type: z.literal('review-conference'),
  ...common,
  outcome: oneOf(['plan-continues', 'plan-ends'] as const),
});

/** A written agreement (§2.10–2.11) with the date it must be reviewed by. */
export const WrittenAgreementEventSchema = z
  .strictObject({
    type: z.literal('written-agreement'),
    ...common,
    reviewBy: IsoDateSchema,
    terms: distinctList(WRITTEN_AGREEMENT_TERMS_2_11).refine((t) => t.length > 0, {
      error: 'must list at least one term',
    }),
  })
  .superRefine((event, ctx) => {
    if (event.reviewBy <= event.occurredOn) {
      ctx.addIssue({ code: 'custom', path: ['reviewBy'], message: 'must be after occurredOn' });
    }
  });

/** An update from the police on the forensic examination or bail (§2.4, §2.8). */
export const ForensicUpdateEventSchema = z.strictObject({
  type: z.literal('forensic-update'),
  ...common,
  status: oneOf(FORENSIC_STATUSES),
});

/** Devices seized after the referral (the forensic wait starts, or follows more devices). */
export const DevicesSeizedEventSchema = z.strictObject({
  type: z.literal('devices-seized'),
  ...common,
  count: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' }),
});

/**
 * Pre-charge bail granted, extended or granted again, with the date it ends and who authorised it. The policy's
 * `preChargeBail` says which authority may set which limit (PACE 1984 ss.47ZB–47ZG, as amended in 2022).
 */
export const PoliceBailEventSchema = z
  .strictObject({
    type: z.literal('police-bail'),
    ...common,
    action: oneOf(BAIL_ACTIONS),
    bailUntil: IsoDateSchema,
    authorisedBy: oneOf(BAIL_AUTHORITIES),
  })
  .superRefine((event, ctx) => {
    if (event.bailUntil <= event.occurredOn) {
      ctx.addIssue({ code: 'custom', path: ['bailUntil'], message: 'must be after occurredOn' });
    }
  });

/** Released under investigation: no bail (and no bail end date) while the police investigate. */
export const ReleasedUnderInvestigationEventSchema = z.strictObject({
  type: z.literal('released-under-investigation'),
  ...common,
});

/** The police's decision: charged, or no further action. The forensic wait ends. */
export const PoliceOutcomeEventSchema = z.strictObject({
  type: z.literal('police-outcome'),
  ...common,
  outcome: oneOf(POLICE_OUTCOMES),
});

/** Results of the forensic examination of seized devices. */
export const ForensicResultsEventSchema = z.strictObject({
  type: z.literal('forensic-results'),
  ...common,
  findings: distinctList(FORENSIC_FINDINGS).refine((f) => f.length > 0, { error: 'must list at least one finding' }),
});

/** Referral sent to the Local Authority Designated Officer (§2.6, §2.18). */
export const LadoReferralSentEventSchema = z.strictObject({ type: z.literal('lado-referral-sent'), ...common });
/** The LADO acknowledged the referral. */
export const LadoReferralAcknowledgedEventSchema = z.strictObject({
  type: z.literal('lado-referral-acknowledged'),
  ...common,
});
/** The LADO's allocation / strategy meeting held (the policy sets how soon after the referral). */
export const LadoStrategyMeetingEventSchema = z.strictObject({ type: z.literal('lado-strategy-meeting'), ...common });
/** The LADO's review meeting held. */
export const LadoReviewMeetingEventSchema = z.strictObject({ type: z.literal('lado-review-meeting'), ...common });
/** The LADO's outcome. */
export const LadoOutcomeEventSchema = z.strictObject({
  type: z.literal('lado-outcome'),
  ...common,
  outcome: oneOf(LADO_OUTCOMES),
});

/** A step marked not required, with the reason. */
export const StepNotRequiredEventSchema = z.strictObject({
  type: z.literal('step-not-required'),
  ...common,
  stepId: StepIdSchema,
  reason: oneOf(NOT_REQUIRED_REASONS),
});

/** An extension asked for (by `recordedBy`), for a manager other than the asker to agree. */
export const ExtensionRequestedEventSchema = z.strictObject({
  type: z.literal('extension-requested'),
  ...common,
  stepId: StepIdSchema,
  newDueDate: IsoDateSchema,
  reason: oneOf(EXTENSION_REASONS),
});

/**
 * A deadline extended, with the reason and the manager who agreed it. `requestedBy` names the person whose
 * `extension-requested` it agrees (the web service records it so); without it, the person recording it asked.
 */
export const DeadlineExtendedEventSchema = z.strictObject({
  type: z.literal('deadline-extended'),
  ...common,
  stepId: StepIdSchema,
  newDueDate: IsoDateSchema,
  reason: oneOf(EXTENSION_REASONS),
  agreedBy: StaffIdSchema,
  requestedBy: StaffIdSchema.optional(),
});

/** The case moved to another practitioner (and possibly team). */
export const PractitionerReassignedEventSchema = z.strictObject({
  type: z.literal('practitioner-reassigned'),
  ...common,
  practitionerId: StaffIdSchema,
  teamId: TeamIdSchema.optional(),
});

/** The case closed (census CINclosureDate N00102, ReasonForClosure N00103). */
export const CaseClosedEventSchema = z.strictObject({
  type: z.literal('case-closed'),
  ...common,
  reason: oneOf(CLOSURE_REASONS),
});

/** Any event recorded on a case. */
export const CaseEventSchema = z.discriminatedUnion(
  'type',
  [
    ReferralDecisionEventSchema,
    StrategyDiscussionEventSchema,
    PartnerInterviewEventSchema,
    AllegedPerpetratorInterviewEventSchema,
    InformationGatheredEventSchema,
    ProtectiveCarerAssessmentEventSchema,
    RiskJudgementEventSchema,
    AssessmentCompletedEventSchema,
    IcpcEventSchema,
    IcpcNotRequiredEventSchema,
    IcpcConvenedEventSchema,
    IcpcBookedEventSchema,
    VisitEventSchema,
    CoreGroupEventSchema,
    ReviewConferenceEventSchema,
    WrittenAgreementEventSchema,
    WrittenAgreementBreachedEventSchema,
    SpecialistAdviceSoughtEventSchema,
    ForensicUpdateEventSchema,
    ForensicResultsEventSchema,
    DevicesSeizedEventSchema,
    PoliceBailEventSchema,
    ReleasedUnderInvestigationEventSchema,
    PoliceOutcomeEventSchema,
    LadoReferralSentEventSchema,
    LadoReferralAcknowledgedEventSchema,
    LadoStrategyMeetingEventSchema,
    LadoReviewMeetingEventSchema,
    LadoOutcomeEventSchema,
    StepNotRequiredEventSchema,
    ExtensionRequestedEventSchema,
    DeadlineExtendedEventSchema,
    PractitionerReassignedEventSchema,
    CaseClosedEventSchema,
  ],
  { error: 'must be a known case event type' },
);

/** A validated case event. */
export type CaseEvent = z.output<typeof CaseEventSchema>;
/** A case event as received (dates as plain strings). */
export type CaseEventInput = z.input<typeof CaseEventSchema>;
/** Every event type. */
export type CaseEventType = CaseEvent['type'];
/** The event of a given type. */
export type CaseEventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

/** Every case event type, in the order of the union. */
export const CASE_EVENT_TYPES: readonly CaseEventType[] = CaseEventSchema.options.map(
  (option) => option.shape.type.value,
);
