/**
 * The forensic-wait child workflow: runs beside the case for as long as the police investigate — the examination
 * of seized devices and pre-charge bail, often many months, after the case's closure too — until the police
 * decide (charge or no further action), sending the forensic track's reminders. Continues as new to keep its history bounded.
 * See ./messages.ts for the design.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { type IsoDate, sharedCalendar, ukDateOf } from '../../domain/calendar';
import { withSharedReferenceData } from '../shared/shared-inputs';
import type { CaseEvent } from '../../domain/case';
import { planTimeline, type Timeline } from '../../domain/planner';
import { deriveCaseFacts, seriousForensicResults } from '../../domain/rules';
import { type CaseLogEntry, DEFAULT_HISTORY_LENGTH_LIMIT } from '../case/messages';
import {
  assignmentOf,
  initialNotifiedThrough,
  isOpen,
  logKindOf,
  nextWakeAt,
  type NoticeOutcome,
  notificationWindow,
  scheduledNotices,
} from '../../domain/case-process';
import { calendarChangedSignal, caseEventSignal, reportToCase } from '../shared/child-messages';
import { Notifier } from '../shared/notifier';
import { WakeTimer } from '../shared/wake-timer';
import { forensicLogQuery, forensicStepsQuery, type ForensicWaitInput, type ForensicWaitResult } from './messages';

const TRACKS = ['forensic'] as const;

/** Follows the forensic wait of a case until the police decide. */
export async function forensicWaitWorkflow(input: ForensicWaitInput): Promise<ForensicWaitResult> {
  withSharedReferenceData(input);
  const { referral, policy } = input;
  const events: CaseEvent[] = [...input.events];
  let calendar = sharedCalendar(input.calendar);
  let calendarData = input.calendar;
  let frozen = input.frozen;
  let dirty = false;
  /** When the loop planned to wake next (undefined: at start, or waiting for a command only). */
  let wakeAt: number | undefined;
  const timer = new WakeTimer();
  const runNumber = input.carried?.runNumber ?? 1;
  let notifiedThrough: IsoDate = input.carried?.notifiedThrough ?? initialNotifiedThrough(Date.now());
  const parentId = workflowInfo().parent?.workflowId ?? referral.caseReference;
  const historyLimit = input.limits?.historyLength ?? DEFAULT_HISTORY_LENGTH_LIMIT;
  const now = () => new Date(Date.now()).toISOString();

  const plan = (today: IsoDate): Timeline =>
    planTimeline({ referral, events, policy, calendar, today, ...(frozen === undefined ? {} : { previous: frozen }) });

  const log: CaseLogEntry[] = [...(input.carried?.log ?? [])];
  const notifier = new Notifier(input.carried?.sent ?? [], (o: NoticeOutcome) => {
    const n = o.notice;
    const what = `${n.kind} to ${n.recipient} (due ${n.dueDate})`;
    log.push({
      at: now(),
      kind: o.status === 'failed' ? 'notification-failed' : logKindOf(n.kind),
      stepId: n.stepId,
      detail: `forensic: ${o.status === 'failed' ? `${what} failed: ${o.failure ?? 'unknown'}` : `${what} ${o.status}`}`,
    });
  });

  setHandler(caseEventSignal, (event) => {
    events.push(event);
    dirty = true;
  });
  setHandler(calendarChangedSignal, (change) => {
    calendar = sharedCalendar(change.calendar);
    calendarData = calendar.toData();
    frozen = change.frozen;
    dirty = true;
  });
  setHandler(forensicStepsQuery, () =>
    plan(ukDateOf(Date.now())).steps.filter((s) => s.track === 'forensic' && isOpen(s)),
  );
  setHandler(forensicLogQuery, () => [...log]);

  for (;;) {
    dirty = false;
    const nowMs = Date.now();
    const today = ukDateOf(nowMs);
    const wait = deriveCaseFacts(referral, events).forensicWait;
    // The wait ends with the police's decision (`until`).
    if (wait === undefined || wait.until !== undefined) {
      await condition(() => notifier.idle);
      const serious = seriousForensicResults(events);
      const decision = events.find((e) => e.type === 'police-outcome');
      const endedBy = decision?.type === 'police-outcome' ? decision.outcome : 'no-further-action';
      await reportToCase(parentId, {
        from: 'forensic',
        at: now(),
        kind: 'forensic',
        detail: `forensic wait ended: police decision ${endedBy}${serious !== undefined ? ` (serious results: ${serious.rule})` : ''}`,
        finished: true,
      });
      return { endedBy, endedOn: wait?.until ?? today, serious: serious !== undefined, runs: runNumber };
    }
    const window = notificationWindow(nowMs, notifiedThrough, wakeAt !== undefined && nowMs >= wakeAt);
    if (window !== undefined) {
      notifier.dispatch(
        scheduledNotices(
          plan(window.from),
          window.from,
          window.through,
          TRACKS,
          assignmentOf(referral, events, policy),
        ),
      );
      if (window.through > notifiedThrough) notifiedThrough = window.through;
    }

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= historyLimit) {
      await condition(() => notifier.idle && allHandlersFinished());
      if (!dirty) {
        await continueAsNew<typeof forensicWaitWorkflow>({
          referral,
          policy,
          calendar: calendarData,
          events,
          ...(frozen === undefined ? {} : { frozen }),
          ...(input.limits === undefined ? {} : { limits: input.limits }),
          carried: { sent: notifier.doneSince(notifiedThrough), notifiedThrough, runNumber: runNumber + 1, log },
        });
      }
      continue;
    }
    wakeAt = nextWakeAt(plan(today), nowMs, TRACKS);
    timer.set(wakeAt);
    await condition(() => dirty || timer.fired);
  }
}
