/**
 * The notices a case sends: reminders and due-today notices to the practitioner, escalations to managers, each
 * with a deterministic id (the same notice always has the same id, so it is never sent twice), addressed by role
 * to whoever plays it on the case now. A notice carries only what an email may say: the case, the step, its due
 * date, the kind and who receives it.
 */
import { fromEpochDay, type IsoDate, toEpochDay } from '../calendar';
import { type NotificationKind, notificationIdFor, type RecipientRef } from '../notifications';
import { type DatedStep, isDated, type ScheduledNotification, type Timeline } from '../planner';
import type { ProcedureStep, RecipientRole } from '../policy';
import type { Assignment } from './assignment';
import type { CaseLogKind } from './types';

/** A step's track (`child-protection`, `lado`, `forensic`). */
export type StepTrack = ProcedureStep['track'];

/** One notice to send: exactly the input of the notification activity. */
export interface Notice {
  /** Deterministic: `<case>/<step>/<kind>/<due>/<recipient>@<date sent for>`. */
  readonly notificationId: string;
  readonly caseReference: string;
  readonly stepId: string;
  readonly stepTitle: string;
  /** Due date of the step, YYYY-MM-DD. */
  readonly dueDate: string;
  readonly kind: NotificationKind;
  /** Who receives it, as a reference the staff directory resolves (e.g. `practitioner:sw-0042`). */
  readonly recipient: RecipientRef;
  /** An allocation's first deadlines, soonest first (`stepId`/`stepTitle`/`dueDate` the first of them). */
  readonly deadlines?: readonly Deadline[];
}

/** One deadline an allocation lists. */
export interface Deadline {
  readonly stepId: string;
  readonly stepTitle: string;
  readonly dueDate: string;
}

/** Deadlines an allocation email lists at most. */
export const ALLOCATION_DEADLINES = 5;

/**
 * The allocation notice (a new case, or a case handed over) to `recipient`: the open steps with a due date,
 * soonest first — none when nothing is dated yet.
 */
export function allocationNotice(timeline: Timeline, recipient: RecipientRef, occasion: string): Notice | undefined {
  const dated = timeline.steps
    .filter((s): s is DatedStep => (s.status === 'due' || s.status === 'overdue') && isDated(s))
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))
    .slice(0, ALLOCATION_DEADLINES);
  const [first] = dated;
  if (first === undefined) return undefined;
  return noticeFor(
    {
      caseReference: timeline.caseReference,
      stepId: first.id,
      stepTitle: emailTitle(first.title),
      dueDate: first.dueDate,
      kind: 'allocation',
      recipient,
      deadlines: dated.map((s) => ({ stepId: s.id, stepTitle: emailTitle(s.title), dueDate: s.dueDate })),
    },
    occasion,
  );
}

/** The recipient reference for a policy role on the case's current assignment. */
export function recipientFor(role: RecipientRole, assignment: Assignment): RecipientRef {
  switch (role) {
    case 'practitioner':
      return `practitioner:${assignment.practitionerId}`;
    case 'team-manager':
      return `team-manager:${assignment.teamId}`;
    case 'service-manager':
      return assignment.serviceManagerId === undefined
        ? 'service-manager'
        : `service-manager:${assignment.serviceManagerId}`;
  }
}

/** The recipient reference of the case's LADO. */
export function ladoRecipient(assignment: Assignment): RecipientRef {
  return assignment.ladoId === undefined ? 'lado' : `lado:${assignment.ladoId}`;
}

/** The email kind of a scheduled notification: a reminder on the due date is "due today". */
export function kindOf(n: ScheduledNotification): NotificationKind {
  if (n.kind === 'escalation') return 'overdue-escalation';
  return n.date === n.dueDate ? 'due-today' : 'reminder';
}

/** How a sent notice is logged on the case. */
export function logKindOf(kind: NotificationKind): CaseLogKind {
  if (kind === 'reminder' || kind === 'due-today') return 'reminder';
  if (kind === 'overdue-escalation' || kind === 'immediate-risk' || kind === 'delivery-failed') return 'escalation';
  if (kind === 'lado-referral') return 'lado-referral';
  if (kind === 'allocation') return 'allocation';
  return 'email';
}

/** Email titles are one line of at most 120 characters. */
export function emailTitle(title: string): string {
  const line = title.replace(/[\r\n\t@]/g, ' ');
  return line.length <= 120 ? line : `${line.slice(0, 117)}...`;
}

/** The notice about these facts, for the date (or occasion) it is sent for. */
export function noticeFor(facts: Omit<Notice, 'notificationId'>, sentFor: IsoDate | string): Notice {
  return { ...facts, notificationId: `${notificationIdFor(facts)}@${sentFor}` };
}

/** The date (or occasion) a notice id is for: the part after the last `@`. */
export function sentForOf(notificationId: string): string {
  return notificationId.slice(notificationId.lastIndexOf('@') + 1);
}

/**
 * The scheduled notifications of `timeline` (planned from some earlier day) falling between `from` and
 * `through` inclusive, for steps on the given tracks, addressed to the current assignment.
 */
export function scheduledNotices(
  timeline: Timeline,
  from: IsoDate,
  through: IsoDate,
  tracks: readonly StepTrack[],
  assignment: Assignment,
): Notice[] {
  const steps = new Map(timeline.steps.map((s) => [s.id, s]));
  const out: Notice[] = [];
  for (const step of timeline.steps) {
    if (!tracks.includes(step.track)) continue;
    for (const n of [...step.reminders, ...step.escalations]) {
      if (n.date < from || n.date > through) continue;
      const title = steps.get(n.stepId)?.title ?? n.stepId;
      out.push(
        noticeFor(
          {
            caseReference: timeline.caseReference,
            stepId: n.stepId,
            stepTitle: emailTitle(title),
            dueDate: n.dueDate,
            kind: kindOf(n),
            recipient: recipientFor(n.to, assignment),
          },
          n.date,
        ),
      );
    }
  }
  return out.sort(
    (a, b) =>
      compare(sentForOf(a.notificationId), sentForOf(b.notificationId)) || compare(a.notificationId, b.notificationId),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The day before a date. */
export function dayBefore(date: IsoDate): IsoDate {
  return fromEpochDay(toEpochDay(date) - 1);
}

/** The day after a date. */
export function dayAfter(date: IsoDate): IsoDate {
  return fromEpochDay(toEpochDay(date) + 1);
}
