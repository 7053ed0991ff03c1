/** Public API of the procedure's rules: pure functions, each citing its § of the guidelines. */
export { type CaseFacts, deriveCaseFacts, type EnquiryEnd, eventsOfType, type Period, sortEvents } from './case-facts';
export {
  conferenceDecision_2_16,
  type ConferenceRequirement,
  conferenceRequirement_2_16,
} from './conference-requirement';
export { evaluateRules } from './evaluate';
export { type FindingSeverity, type RuleFinding } from './finding';
export {
  currentEnquiry,
  forensicResultsFindings,
  type SeriousForensicResults,
  seriousForensicResults,
} from './forensic-results';
export { AWAITING_POLICE_REASON, checkForensicWait_2_17, holdsBackForPolice_2_17, seriesOf } from './forensic-wait';
export { checkInterviewOrder_2_14_2_15 } from './interview-order';
export { pendingExtensionRequests, requestAgreed } from './extension-requests';
export { type Bail, bailOf, checkPoliceEvent, POLICE_EVENT_TYPES, stillFollowingPolice } from './police-investigation';
export { ladoFindings_2_6_2_18, type LadoTrigger, ladoTrigger_2_6_2_18 } from './lado-trigger';
export { checkLeavingHomeDecision_2_10 } from './leaving-home-decision';
export {
  checkChildInterviews_5_1,
  checkSection47Presumption_2_3,
  checkStrategyQuestions_2_6,
  immediateRisk_2_6,
} from './section-47';
export {
  type CaseState,
  checkEventAgainstCase,
  describeRefusals,
  EventRefusedError,
  type EventValidationContext,
  type Refusal,
  validateEventAgainstCase,
} from './validate-event';
