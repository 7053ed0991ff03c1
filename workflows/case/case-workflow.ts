/**
 * The case workflow: one per case (workflow id = case reference), from referral to closure.
 *
 * - State: the referral, recorded events, audit trail, case log, delivered notification ids and stage
 *   ({@link CaseRecord}); the timeline is recomputed by the planner from them, never stored.
 * - One timer loop: wakes at 09:00 UK time on the next reminder/escalation date, at the start of the day after
 *   a due date (overdue in search attributes from that morning), or when a command arrives; sends what is due
 *   (child-protection and LADO tracks) through the notification activity; upserts search attributes on change.
 * - Commands are updates validated in their validators (zod + `validateEventAgainstCase`): a refused command
 *   changes nothing. Handlers are synchronous; every effect (emails, children, signals) happens in the loop.
 * - Children: the LADO referral (`<ref>-lado`) once work with children / a position of trust is known, the
 *   forensic wait (`<ref>-forensic`) when devices were seized. Both are started with the ABANDON parent-close
 *   policy (they must survive this run's continue-as-new) and talk to the case by signals.
 * - Continue-as-new when the server suggests it or the history passes the run limit, only once every handler
 *   has finished and nothing is in flight.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { type IsoDate, isIsoDate } from '../../domain/calendar';
import { type CaseEvent, CaseEventSchema } from '../../domain/case';
import { checkEventAgainstCase, ladoTrigger_2_6_2_18, seriousForensicResults } from '../../domain/rules';
import { FORENSIC_EVENT_TYPES } from '../forensic/messages';
import { forensicWaitWorkflow } from '../forensic/forensic-workflow';
import { ladoWorkflow } from '../lado/lado-workflow';
import { calendarChangedSignal, type CalendarChange, caseEventSignal } from '../shared/child-messages';
import { ukDateOf } from '../shared/civil-time';
import {
  emailTitle,
  type NotificationOutcome,
  notificationId,
  Notifier,
  type NotificationRequest,
  recipientFor,
  scheduledRequests,
} from '../shared/notifier';
import {
  BEGINNING,
  dueThrough,
  initialNotifiedThrough,
  nextWakeAt,
  notificationWindow,
  overdueEscalationTimeline,
} from '../shared/schedule';
import { withSharedReferenceData } from '../shared/shared-inputs';
import { WakeTimer } from '../shared/wake-timer';
import { CaseRecord, caseSearchAttributes, nextStep, openSteps, overdueSteps } from './case-record';
import { checkEventCommand, checkHolidaysCommand, commandRefused } from './commands';
import {
  applyHolidaysUpdate,
  auditTrailQuery,
  caseLogQuery,
  type CaseLogKind,
  type CaseResult,
  caseStatusQuery,
  type CaseWorkflowInput,
  childReportSignal,
  DEFAULT_HISTORY_LENGTH_LIMIT,
  forensicWorkflowId as forensicId,
  ladoWorkflowId,
  openStepsQuery,
  overdueStepsQuery,
  recordEventUpdate,
  SYSTEM_ACTOR,
  timelineQuery,
} from './messages';

/** Tracks whose reminders the case sends itself; the forensic track is the forensic-wait child's. */
const CASE_TRACKS = ['child-protection', 'lado'] as const;

/** Event types the case forwards to its LADO child. */
const LADO_EVENT_TYPES: readonly CaseEvent['type'][] = [
  'lado-referral-sent',
  'lado-referral-acknowledged',
  'lado-outcome',
  'case-closed',
];

/** A signal waiting to be sent to a child. */
type Outgoing =
  | { readonly child: 'lado' | 'forensic'; readonly kind: 'event'; readonly event: CaseEvent }
  | { readonly child: 'lado' | 'forensic'; readonly kind: 'calendar'; readonly change: CalendarChange };

/** A query's `asOf` argument: undefined or a date `YYYY-MM-DD`. */
function checkAsOf(asOf: string | undefined): IsoDate | undefined {
  if (asOf === undefined) return undefined;
  if (!isIsoDate(asOf)) throw new TypeError("asOf: must be a date YYYY-MM-DD (the caller's date in England)");
  return asOf;
}

/** Runs one case from referral to closure; returns how it closed. */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseResult> {
  withSharedReferenceData(input);
  const carried = input.carried;
  const record = new CaseRecord({
    referral: input.referral,
    policy: input.policy,
    calendar: input.calendar,
    events: carried?.events,
    audit: carried?.audit,
    log: carried?.log,
    frozen: carried?.previousTimeline,
  });
  const caseRef = record.caseReference;
  const runNumber = carried?.runNumber ?? 1;
  const historyLimit = input.limits?.historyLength ?? DEFAULT_HISTORY_LENGTH_LIMIT;
  const nowIso = () => new Date(Date.now()).toISOString();
  const today = () => ukDateOf(Date.now());
  /** The day a query answers for: the later of the caller's `asOf` and the case's own today. */
  const readDay = (asOf?: string): IsoDate => {
    const day = checkAsOf(asOf);
    const own = today();
    return day !== undefined && day > own ? day : own;
  };
  let notifiedThrough: IsoDate = carried?.notifiedThrough ?? initialNotifiedThrough(Date.now());
  const children = {
    lado: { started: carried?.ladoStarted ?? false, done: carried?.ladoDone ?? false },
    forensic: { started: carried?.forensicStarted ?? false, done: carried?.forensicDone ?? false },
  };
  const outbox: Outgoing[] = [];
  const immediate: NotificationRequest[] = [];
  let dirty = false;
  /** Escalations owed for overdue steps still to send: at opening, and after a catch-up over several days. */
  let owedEscalationsAfter: IsoDate | undefined = carried === undefined ? BEGINNING : undefined;
  /** When the loop planned to wake next (undefined: at start, or waiting for a command only). */
  let wakeAt: number | undefined;
  const timer = new WakeTimer();
  let lastAttributes = '';

  const notifier = new Notifier(carried?.sent ?? [], (o: NotificationOutcome) => {
    const n = o.request.scheduled;
    const what = `${o.request.input.kind} to ${o.request.input.recipient} (due ${o.request.input.dueDate})`;
    if (o.status === 'failed')
      record.note(nowIso(), 'notification-failed', `${what} failed: ${o.failure ?? 'unknown'}`, o.request.input.stepId);
    else
      record.note(nowIso(), n?.kind ?? logKindOf(o.request.input.kind), `${what} ${o.status}`, o.request.input.stepId);
  });

  if (carried === undefined) {
    const a = record.assignment;
    record.note(
      nowIso(),
      'case-opened',
      `referral received ${input.referral.receivedOn}; team ${a.teamId}, practitioner ${a.practitionerId}; stage ${record.stage}`,
    );
  }

  /** Queues what follows an accepted event: forwarding to children, immediate notices. */
  const afterEvent = (event: CaseEvent, at: string) => {
    if (children.lado.started && !children.lado.done && LADO_EVENT_TYPES.includes(event.type)) {
      outbox.push({ child: 'lado', kind: 'event', event });
    }
    if (children.forensic.started && !children.forensic.done && FORENSIC_EVENT_TYPES.includes(event.type)) {
      outbox.push({ child: 'forensic', kind: 'event', event });
    }
    if (event.type === 'forensic-results') {
      const serious = seriousForensicResults(record.events);
      const step = record.timeline(today()).steps.find((s) => s.id === 'forensic-strategy-discussion');
      if (serious !== undefined && serious.on === event.occurredOn && step !== undefined && step.status !== 'done') {
        record.note(
          at,
          'forensic',
          `serious forensic results (${serious.rule}): new strategy discussion due ${step.dueDate}`,
          step.id,
        );
        const base = {
          caseReference: caseRef,
          stepId: step.id,
          stepTitle: emailTitle(step.title),
          dueDate: step.dueDate,
          kind: 'reminder' as const,
          recipient: recipientFor('practitioner', record.assignment),
        };
        const id = notificationId(base, `opened-${today()}`);
        immediate.push({ id, input: { ...base, notificationId: id } });
      } else {
        record.note(at, 'forensic', 'forensic results recorded: no serious findings');
      }
    }
    dirty = true;
  };

  setHandler(
    recordEventUpdate,
    (raw) => {
      const event = CaseEventSchema.parse(raw);
      const at = nowIso();
      const receipt = record.recordEvent(event, at, today());
      afterEvent(event, at);
      return receipt;
    },
    {
      validator: (raw) => {
        checkEventCommand(raw, {
          referral: record.referral,
          events: record.events,
          policy: record.policy,
          today: today(),
        });
      },
    },
  );
  setHandler(
    applyHolidaysUpdate,
    (raw) => {
      const command = checkHolidaysCommand(raw, record.calendarData);
      const receipt = record.applyHolidays(command.holidays, command.appliedBy ?? SYSTEM_ACTOR, nowIso(), today());
      const change: CalendarChange = {
        calendar: record.calendarData,
        ...(record.frozen === undefined ? {} : { frozen: record.frozen }),
      };
      if (children.lado.started && !children.lado.done) outbox.push({ child: 'lado', kind: 'calendar', change });
      if (children.forensic.started && !children.forensic.done)
        outbox.push({ child: 'forensic', kind: 'calendar', change });
      dirty = true;
      return receipt;
    },
    {
      validator: (raw) => {
        if (record.closed) {
          throw commandRefused('applyHolidays', [
            'case: the case is closed; nothing more can be recorded on it (case lifecycle)',
          ]);
        }
        checkHolidaysCommand(raw, record.calendarData);
      },
    },
  );
  setHandler(childReportSignal, (report) => {
    record.note(report.at, report.kind, `${report.from}: ${report.detail}`, report.stepId);
    if (report.finished === true) children[report.from].done = true;
    if (report.ladoReferralSentOn !== undefined && !record.events.some((e) => e.type === 'lado-referral-sent')) {
      const event: CaseEvent = {
        type: 'lado-referral-sent',
        occurredOn: report.ladoReferralSentOn,
        recordedBy: SYSTEM_ACTOR,
      };
      const refusals = checkEventAgainstCase({ referral: record.referral, events: record.events }, event, {
        policy: record.policy,
      });
      if (refusals.length === 0) {
        const at = nowIso();
        record.recordEvent(event, at, today());
        afterEvent(event, at);
      }
    }
    dirty = true;
  });
  setHandler(timelineQuery, (asOf) => record.timeline(readDay(asOf)));
  setHandler(openStepsQuery, (asOf) => openSteps(record.timeline(readDay(asOf))));
  setHandler(overdueStepsQuery, (asOf) => overdueSteps(record.timeline(readDay(asOf))));
  setHandler(auditTrailQuery, () => [...record.audit]);
  setHandler(caseLogQuery, () => record.log);
  setHandler(caseStatusQuery, (asOf) => {
    const timeline = record.timeline(readDay(asOf));
    const next = record.closed ? undefined : nextStep(timeline);
    const a = record.assignment;
    return {
      caseReference: caseRef,
      stage: record.stage,
      open: !record.closed,
      teamId: a.teamId,
      practitionerId: a.practitionerId,
      today: timeline.today,
      ...(next === undefined ? {} : { nextStep: { id: next.id, dueDate: next.dueDate } }),
      overdue: record.closed ? [] : overdueSteps(timeline).map((s) => `${s.id}@${s.dueDate}`),
      eventCount: record.events.length,
      runNumber,
    };
  });

  /** Sends queued signals to the children (a child that has already ended is skipped). */
  const drainOutbox = async () => {
    while (outbox.length > 0) {
      const next = outbox[0];
      const id = next.child === 'lado' ? ladoWorkflowId(caseRef) : forensicId(caseRef);
      if (!children[next.child].done) {
        try {
          const handle = getExternalWorkflowHandle(id);
          if (next.kind === 'event') await handle.signal(caseEventSignal, next.event);
          else await handle.signal(calendarChangedSignal, next.change);
        } catch {
          // The child finished meanwhile: nothing left to tell it.
        }
      }
      outbox.shift();
    }
  };

  const devicesSeized = () => {
    const seized = record.referral.police.devicesSeized;
    return seized.count > 0 && seized.seizedOn !== undefined;
  };
  /** Whether a child is due to start (checked without awaiting: most loop turns have none). */
  const childToStart = () =>
    !record.closed &&
    ((!children.lado.started && ladoTrigger_2_6_2_18(record.referral, record.events) !== undefined) ||
      (!children.forensic.started && devicesSeized()));

  /** Starts the LADO and forensic-wait children when the case calls for them. */
  const ensureChildren = async () => {
    if (record.closed) return;
    const trigger = !children.lado.started ? ladoTrigger_2_6_2_18(record.referral, record.events) : undefined;
    if (trigger !== undefined) {
      const step = record.timeline(today()).steps.find((s) => s.id === 'lado-referral');
      const policyStep = record.policy.steps.find((s) => s.id === 'lado-referral');
      const sent = record.events.find((e) => e.type === 'lado-referral-sent');
      children.lado.started = true;
      record.note(
        nowIso(),
        'lado',
        `LADO referral triggered (${trigger.rule}, known ${trigger.knownOn} from the ${trigger.source}); LADO workflow started`,
        'lado-referral',
      );
      await startChild(ladoWorkflow, {
        workflowId: ladoWorkflowId(caseRef),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            caseReference: caseRef,
            knownOn: trigger.knownOn,
            dueDate: step?.dueDate ?? trigger.knownOn,
            stepTitle: policyStep?.title ?? 'Referral to the Local Authority Designated Officer',
            ...(sent === undefined ? {} : { referralSentOn: sent.occurredOn }),
            chase: {
              ackWithinWorkingDays: policyStep?.offset.workingDays ?? 1,
              chaseAfterWorkingDays: record.policy.notifications.escalations.map((e) => e.workingDaysAfterDue),
            },
            calendar: record.calendarData,
          },
        ],
      });
    }
    const seized = record.referral.police.devicesSeized;
    if (!children.forensic.started && seized.count > 0 && seized.seizedOn !== undefined) {
      children.forensic.started = true;
      record.note(nowIso(), 'forensic', `forensic wait started (${seized.count} device(s) seized ${seized.seizedOn})`);
      await startChild(forensicWaitWorkflow, {
        workflowId: forensicId(caseRef),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            referral: record.referral,
            policy: record.policy,
            calendar: record.calendarData,
            events: record.events.filter((e) => FORENSIC_EVENT_TYPES.includes(e.type)),
            ...(record.frozen === undefined ? {} : { frozen: record.frozen }),
            ...(input.limits === undefined ? {} : { limits: input.limits }),
          },
        ],
      });
    }
  };

  const upsertAttributes = () => {
    const attributes = caseSearchAttributes(record.stage, record.assignment, record.timeline(today()), !record.closed);
    const key = JSON.stringify(attributes.map((a) => [a.key.name, a.value]));
    if (key !== lastAttributes) {
      upsertSearchAttributes(attributes);
      lastAttributes = key;
    }
  };

  for (;;) {
    dirty = false;
    // Awaited only when there is work: every promise in workflow code costs a stack capture in the SDK.
    if (childToStart()) await ensureChildren();
    if (outbox.length > 0) await drainOutbox();
    const nowMs = Date.now();
    // Everything due now, dispatched at once: one batch, one local activity.
    const due: NotificationRequest[] = [];
    if (!record.closed) {
      const window = notificationWindow(nowMs, notifiedThrough, wakeAt !== undefined && nowMs >= wakeAt);
      if (window !== undefined) {
        if (window.from < window.through) {
          // Days without a worker: the notifications of the last day, then what the overdue steps are owed.
          due.push(
            ...scheduledRequests(
              record.timeline(window.through),
              window.through,
              window.through,
              CASE_TRACKS,
              record.assignment,
            ),
          );
          owedEscalationsAfter ??= notifiedThrough;
        } else {
          due.push(
            ...scheduledRequests(
              record.timeline(window.from),
              window.from,
              window.through,
              CASE_TRACKS,
              record.assignment,
            ),
          );
        }
        if (window.through > notifiedThrough) notifiedThrough = window.through;
      }
      if (owedEscalationsAfter !== undefined) {
        const through = dueThrough(nowMs);
        const owed = overdueEscalationTimeline(
          record.timeline(ukDateOf(nowMs)),
          record.policy,
          record.calendar,
          owedEscalationsAfter,
          through,
          CASE_TRACKS,
        );
        due.push(...scheduledRequests(owed, BEGINNING, through, CASE_TRACKS, record.assignment));
        owedEscalationsAfter = undefined;
      }
    }
    due.push(...immediate.splice(0));
    if (due.length > 0) notifier.dispatch(due);
    upsertAttributes();

    if (record.closed) {
      // The case ends after its children: each ends on the forwarded closure and reports it, so no child is left
      // running (or reporting) after the case has completed.
      const childrenEnded = () =>
        (['lado', 'forensic'] as const).every((c) => !children[c].started || children[c].done);
      await condition(
        () => (notifier.idle && allHandlersFinished() && outbox.length === 0 && childrenEnded()) || dirty,
      );
      if (dirty || outbox.length > 0) continue;
      const closure = record.events.find((e) => e.type === 'case-closed');
      return {
        caseReference: caseRef,
        closedOn: closure?.occurredOn ?? today(),
        reason: closure?.type === 'case-closed' ? closure.reason : 'closed',
        runs: runNumber,
      };
    }

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= historyLimit) {
      await condition(() => (notifier.idle && allHandlersFinished()) || outbox.length > 0);
      if (outbox.length > 0 || dirty) continue;
      await continueAsNew<typeof caseWorkflow>({
        referral: input.referral,
        policy: input.policy,
        calendar: record.calendarData,
        ...(input.limits === undefined ? {} : { limits: input.limits }),
        carried: {
          events: record.events,
          audit: record.audit,
          log: [
            ...record.log,
            {
              at: nowIso(),
              kind: 'continued-as-new',
              detail: `run ${runNumber} continued as new after ${info.historyLength} history events`,
            },
          ],
          sent: notifier.doneSince(notifiedThrough),
          stage: record.stage,
          ...(record.frozen === undefined ? {} : { previousTimeline: record.frozen }),
          notifiedThrough,
          ladoStarted: children.lado.started,
          ladoDone: children.lado.done,
          forensicStarted: children.forensic.started,
          forensicDone: children.forensic.done,
          runNumber: runNumber + 1,
        },
      });
    }

    wakeAt = nextWakeAt(record.timeline(ukDateOf(nowMs)), nowMs, CASE_TRACKS);
    timer.set(wakeAt);
    await condition(() => dirty || timer.fired);
  }
}

/** Case log kind of a notification sent outside the planner's schedule (e.g. the notice after serious results). */
function logKindOf(kind: NotificationRequest['input']['kind']): CaseLogKind {
  if (kind === 'reminder' || kind === 'due-today') return 'reminder';
  if (kind === 'overdue-escalation') return 'escalation';
  return 'email';
}
