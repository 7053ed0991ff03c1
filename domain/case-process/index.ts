/**
 * The case as one pure, deterministic process: its state, the commands it accepts (`applyCommand`: a new state
 * or a structured refusal), what it does next (`decideNext`: notices, children, published values, next wake-up,
 * result) and what it shows (timeline, status). Knows nothing of Temporal: the case workflow carries it out.
 */
export { applyCommand, type Applied, type CaseCommand, dueDateChanges, eventsForChild, isoAt } from './apply';
export { type Assignment, assignmentOf } from './assignment';
export {
  type CaseOpening,
  type EventCorrection,
  parseApplyHolidays,
  parseCaseOpening,
  parseCorrectEvent,
  parseRecordEvent,
  parseRunLimits,
  type Parsed,
} from './commands';
export {
  CALENDAR_MIN_YEARS_AHEAD,
  CALENDAR_YEARS_AHEAD,
  calendarWanted,
  carriedState,
  CASE_TRACKS,
  CHILD_RESTART_AFTER_MS,
  type ChildStart,
  type Decision,
  decideNext,
  type ForensicStart,
  type LadoStart,
  type NoticeOutcome,
  settleNotices,
  type YearRange,
} from './decide';
export {
  BEGINNING,
  dueThrough,
  initialNotifiedThrough,
  nextWakeAt,
  NOTIFY_HOUR,
  notificationWindow,
  type NotificationWindow,
  overdueEscalationTimeline,
  turnsOverdueByDate,
} from './delivery';
export {
  ALLOCATION_DEADLINES,
  allocationNotice,
  type Deadline,
  dayAfter,
  dayBefore,
  emailTitle,
  kindOf,
  ladoRecipient,
  logKindOf,
  type Notice,
  noticeFor,
  recipientFor,
  scheduledNotices,
  sentForOf,
  type StepTrack,
} from './notices';
export {
  type CaseSearchValues,
  caseStatusOf,
  isClosed,
  isOpen,
  nextStep,
  openSteps,
  overdueSteps,
  searchValuesOf,
  stepsWithDueDates,
  timelineOf,
  waitingSteps,
} from './read';
export {
  applyLadoMessage,
  decideLado,
  LADO_ACK_STEP,
  type LadoChase,
  ladoAcknowledgementDue,
  ladoChases,
  type LadoDecision,
  type LadoMessage,
  type LadoResult,
  type LadoState,
  type LadoStatus,
  ladoStatusOf,
  openLadoState,
  settleLadoNotices,
} from './lado-process';
export {
  applyForensicMessage,
  type CarriedForensicState,
  carriedForensicState,
  decideForensic,
  type ForensicDecision,
  type ForensicMessage,
  type ForensicOutcome,
  type ForensicState,
  forensicSteps,
  forensicTimeline,
  openForensicState,
  settleForensicNotices,
} from './forensic-process';
export { deriveStage } from './stage';
export {
  calendarOf,
  type CaseContext,
  type CaseState,
  type ChildMessage,
  type ChildState,
  type Delivery,
  openCaseState,
} from './state';
export * from './types';
export {
  acceptCaseMessage,
  acceptChildReport,
  type CaseMessage,
  type CaseMessageEnvelope,
  CHANNEL_KEY_PATTERN,
  type ChildReportEnvelope,
  isChannelKey,
} from './child-channel';
export { afterFailure, deliveryFailedNotice, UNDELIVERED_RETRY_DAYS, type UndeliveredNotice } from './undelivered';
