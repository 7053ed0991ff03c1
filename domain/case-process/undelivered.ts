/**
 * Notices that could not be delivered for good (a recipient missing from the staff directory, an address the
 * mail server refuses): a case never lets one go silently. It is shown on the case, logged, escalated once to the
 * team manager (the service manager when the team manager is the one who cannot be reached), and tried again
 * each working day at the notification hour, so it goes out once the directory is fixed — for up to
 * {@link UNDELIVERED_RETRY_DAYS} working days, after which the case log says it was given up.
 */
import { type IsoDate, ukDateOf, ukInstant, type WorkingDayCalendar } from '../calendar';
import type { Assignment } from './assignment';
import { NOTIFY_HOUR } from './delivery';
import { type Notice, noticeFor, recipientFor } from './notices';

/** A notice not delivered yet after a permanent failure. */
export interface UndeliveredNotice {
  readonly notice: Notice;
  /** Failure type and message of the last attempt (no personal data: the activity never puts any in). */
  readonly failure: string;
  /** When it first failed (ISO instant). */
  readonly since: string;
  /** Attempts that failed so far. */
  readonly attempts: number;
  /** The working day it is tried again on, at the notification hour. */
  readonly retryOn: IsoDate;
}

/** Working days an undelivered notice is tried again before the case gives up on it. */
export const UNDELIVERED_RETRY_DAYS = 20;

/** The failed notice after one more failed attempt at `at`; undefined once it is given up. */
export function afterFailure(
  previous: UndeliveredNotice | undefined,
  notice: Notice,
  failure: string,
  at: string,
  calendar: WorkingDayCalendar,
): UndeliveredNotice | undefined {
  const attempts = (previous?.attempts ?? 0) + 1;
  if (attempts > UNDELIVERED_RETRY_DAYS) return undefined;
  return {
    notice,
    failure,
    since: previous?.since ?? at,
    attempts,
    retryOn: calendar.addWorkingDays(ukDateOf(Date.parse(at)), 1),
  };
}

/** The instant an undelivered notice is tried again. */
export function retryAt(undelivered: UndeliveredNotice): number {
  return ukInstant(undelivered.retryOn, NOTIFY_HOUR);
}

/**
 * The escalation of a notice that could not be delivered: to the team manager, or to the service manager when the
 * team manager's is the one that failed. An escalation that fails to the service manager goes no further.
 */
export function deliveryFailedNotice(failed: Notice, assignment: Assignment): Notice | undefined {
  const teamManager = recipientFor('team-manager', assignment);
  const serviceManager = recipientFor('service-manager', assignment);
  if (failed.kind === 'delivery-failed' && failed.recipient === serviceManager) return undefined;
  const recipient = failed.recipient === teamManager ? serviceManager : teamManager;
  return noticeFor(
    {
      caseReference: failed.caseReference,
      stepId: failed.stepId,
      stepTitle: failed.stepTitle,
      dueDate: failed.dueDate,
      kind: 'delivery-failed',
      recipient,
    },
    // One escalation per failed notice: its id names the notice it is about.
    `undelivered:${failed.notificationId.replace(/[^\x21-\x7e]/g, '')}`,
  );
}
