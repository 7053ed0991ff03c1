/** Public API of the timeline planner. */
export { DeadlineComputationError, dueDateAfter, workingDaysBefore } from './due-dates';
export { nextWakeUp, notificationsOn, pendingNotifications, scheduleNotifications } from './notifications';
export { planTimeline } from './plan-timeline';
export { isDated } from './timeline';
export type {
  AppliedExtension,
  CountsFrom,
  DatedStep,
  PlanInput,
  ScheduledNotification,
  StepStatus,
  Timeline,
  TimelineStep,
} from './timeline';
