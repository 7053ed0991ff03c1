/** Public API of the local procedure policy. */
export {
  ANCHOR_IDS,
  type AnchorId,
  FORENSIC_WAIT_ANCHORS,
  isReferralAnchor,
  isTriggerAnchor,
  REFERRAL_ANCHORS,
  type ReferralAnchor,
  TRIGGER_ANCHORS,
  type TriggerAnchor,
} from './anchors';
export { describeOffset, type Offset, OffsetSchema } from './offset';
export {
  type Authority,
  AuthoritySchema,
  type EscalationRule,
  COMPLETION_CONDITIONS,
  EscalationRuleSchema,
  type PreChargeBail,
  PreChargeBailSchema,
  type ProcedurePolicy,
  ProcedurePolicySchema,
  type ProcedureStep,
  ProcedureStepSchema,
  projectingStepIndex,
  RECIPIENT_ROLES,
  type RecipientRole,
  type ReminderRule,
  ReminderRuleSchema,
  RepeatSchema,
  STEP_PERIODS,
  STEP_TRACKS,
} from './schema';
export { InvalidPolicyError } from './errors';
export { parseProcedurePolicy } from './parse';
export { sharedPolicy } from './shared-policy';
