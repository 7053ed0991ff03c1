/**
 * The case workflow: one per case (workflow id = case reference), from referral to closure. It carries out what
 * the case process (domain/case-process) decides: commands are applied by the process, and at each turn the
 * process decides the notices to send, the children to start or tell, the values to publish and when to wake.
 * Temporal's part is here: updates, queries and signals, timers, the notification activity, child workflows,
 * search attributes and continue-as-new.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { type IsoDate, isIsoDate, ukDateOf } from '../../domain/calendar';
import {
  acceptChildReport,
  applyCommand,
  type CaseCommand,
  type CaseContext,
  type CaseResult,
  caseStatusOf,
  type CaseState,
  carriedState,
  decideNext,
  isoAt,
  openCaseState,
  openSteps,
  overdueSteps,
  parseApplyHolidays,
  parseCaseOpening,
  parseCorrectEvent,
  parseRecordEvent,
  parseRunLimits,
  settleNotices,
  timelineOf,
} from '../../domain/case-process';
import type { Holiday } from '../../domain/calendar';
import { sendNoticeBatch } from '../shared/notifier';
import { withSharedReferenceData } from '../shared/shared-inputs';
import { WakeTimer } from '../shared/wake-timer';
import { calendarGrowth } from './calendar';
import { droppedSignal } from '../shared/child-messages';
import { startCaseChild, tellChild } from './children';
import {
  applyHolidaysUpdate,
  auditTrailQuery,
  caseLogQuery,
  caseReadingQuery,
  caseStatusQuery,
  type CaseWorkflowInput,
  childReportSignal,
  correctEventUpdate,
  DEFAULT_HISTORY_LENGTH_LIMIT,
  openStepsQuery,
  overdueStepsQuery,
  recordEventUpdate,
  timelineQuery,
} from './messages';
import { commandRefused, openingRefused } from './refusals';
import { SearchAttributePublisher } from './search-attributes';

/** Why a first run that carries state is refused. */
const NOT_CONTINUED = {
  code: 'not-continued',
  field: 'carried',
  rule: 'is set only by the case itself when it continues as new',
  section: 'case lifecycle',
} as const;

/** Runs one case from referral to closure; returns how it closed. */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseResult> {
  // A first run opens from a referral checked here; only a run this workflow continued as new (Temporal says which)
  // carries state, so no client can start a case with state of its choosing. A cron or retry run also names the
  // run before it, but repeats the client's own input: neither counts as continued.
  const info = workflowInfo();
  const continued =
    info.continuedFromExecutionRunId !== undefined && info.cronSchedule === undefined && info.attempt === 1;
  if (!continued) {
    if (input.carried !== undefined || input.channel !== undefined) throw openingRefused([NOT_CONTINUED]);
    const opening = parseCaseOpening(input, ukDateOf(Date.now()));
    if (!opening.ok) throw openingRefused(opening.refusals);
  }
  const limits = parseRunLimits(input.limits);
  if (!limits.ok) throw openingRefused(limits.refusals);
  withSharedReferenceData(input);
  const { policy } = input;
  const historyLimit = input.limits?.historyLength ?? DEFAULT_HISTORY_LENGTH_LIMIT;
  /** The key of the channel to the children (see domain/case-process/child-channel). */
  const channel = continued && input.channel !== undefined ? input.channel : uuid4();
  const context = (): CaseContext => ({ policy, now: Date.now() });
  let state: CaseState =
    continued && input.carried !== undefined
      ? input.carried
      : openCaseState(input.referral, input.calendar, isoAt(Date.now()));
  let changed = false;
  /** Work under way that the case waits for before continuing as new: email batches, calendar growth. */
  const sending = new Set<Promise<void>>();
  let growing = false;
  const timer = new WakeTimer();
  const published = new SearchAttributePublisher();

  /** Applies a command; a refusal is thrown as `CommandRefused` and changes nothing. */
  const apply = (name: string, command: CaseCommand, commit: boolean) => {
    const applied = applyCommand(state, command, context());
    if (!applied.ok) throw commandRefused(name, applied.refusals);
    if (commit) {
      state = applied.state;
      changed = true;
    }
    return applied.receipt;
  };
  /** Applies what the case's own machinery reports (children, calendar growth): nothing to refuse to a caller. */
  const applyOwn = (command: CaseCommand) => {
    const applied = applyCommand(state, command, context());
    if (applied.ok) state = applied.state;
    changed = true;
  };
  const recordEvent = (raw: unknown, commit: boolean) => {
    const parsed = parseRecordEvent(raw);
    if (!parsed.ok) throw commandRefused('recordEvent', parsed.refusals);
    return apply(`recordEvent ${parsed.value.type}`, { type: 'record-event', event: parsed.value }, commit);
  };
  const applyHolidays = (raw: unknown, commit: boolean) => {
    const parsed = parseApplyHolidays(raw);
    if (!parsed.ok) throw commandRefused('applyHolidays', parsed.refusals);
    const { holidays, appliedBy } = parsed.value;
    return apply('applyHolidays', { type: 'apply-holidays', holidays: holidays as Holiday[], appliedBy }, commit);
  };
  const correctEvent = (raw: unknown, commit: boolean) => {
    const parsed = parseCorrectEvent(raw);
    if (!parsed.ok) throw commandRefused('correctEvent', parsed.refusals);
    return apply(`correctEvent ${parsed.value.action}`, { type: 'correct-event', correction: parsed.value }, commit);
  };
  setHandler(recordEventUpdate, (raw) => recordEvent(raw, true)!, { validator: (raw) => void recordEvent(raw, false) });
  setHandler(correctEventUpdate, (raw) => correctEvent(raw, true)!, {
    validator: (raw) => void correctEvent(raw, false),
  });
  setHandler(applyHolidaysUpdate, (raw) => applyHolidays(raw, true)!, {
    validator: (raw) => void applyHolidays(raw, false),
  });
  setHandler(childReportSignal, (raw) => {
    const report = acceptChildReport(raw, channel, state.children);
    if (report === undefined) return droppedSignal(childReportSignal.name);
    applyOwn({ type: 'child-report', report });
  });

  /** The day a query answers for: the later of the caller's `asOf` (their date in England) and the case's own. */
  const readDay = (asOf?: string): IsoDate => {
    if (asOf !== undefined && !isIsoDate(asOf)) {
      throw new TypeError("asOf: must be a date YYYY-MM-DD (the caller's date in England)");
    }
    const own = ukDateOf(Date.now());
    return asOf !== undefined && asOf > own ? asOf : own;
  };
  setHandler(timelineQuery, (asOf) => timelineOf(state, policy, readDay(asOf)));
  setHandler(openStepsQuery, (asOf) => openSteps(timelineOf(state, policy, readDay(asOf))));
  setHandler(overdueStepsQuery, (asOf) => overdueSteps(timelineOf(state, policy, readDay(asOf))));
  setHandler(auditTrailQuery, () => [...state.audit]);
  setHandler(caseLogQuery, () => [...state.log].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)));
  setHandler(caseStatusQuery, (asOf) => caseStatusOf(state, policy, readDay(asOf)));
  setHandler(caseReadingQuery, (asOf) => ({
    status: caseStatusOf(state, policy, readDay(asOf)),
    timeline: timelineOf(state, policy, readDay(asOf)),
    audit: [...state.audit],
  }));

  for (;;) {
    // Every change so far is in the state this turn decides from.
    changed = false;
    const decision = decideNext(state, context());
    state = decision.state;
    for (const start of decision.childStarts) {
      if (!(await startCaseChild(start, policy, input.limits, channel))) {
        applyOwn({ type: 'child-start-refused', child: start.kind });
      }
    }
    for (const message of decision.childMessages) await tellChild(state.referral.caseReference, channel, message);
    if (decision.notices.length > 0) {
      // Never awaited here: an SMTP outage delays the emails, not the case.
      const batch = sendNoticeBatch(decision.notices).then((outcomes) => {
        state = settleNotices(state, outcomes, isoAt(Date.now()), policy);
        changed = true;
        sending.delete(batch);
      });
      sending.add(batch);
    }
    if (decision.calendarWanted !== undefined && !growing) {
      growing = true;
      const growth = calendarGrowth(decision.calendarWanted).then((command) => {
        applyOwn(command);
        growing = false;
        sending.delete(growth);
      });
      sending.add(growth);
    }
    published.publish(decision.searchValues, upsertSearchAttributes);
    if (decision.result !== undefined) return decision.result;

    const run = workflowInfo();
    if (run.continueAsNewSuggested || run.historyLength >= historyLimit) {
      // Only between commands, with every email settled; whatever changed meanwhile is decided first.
      await condition(() => sending.size === 0 && allHandlersFinished());
      if (changed) continue;
      await continueAsNew<typeof caseWorkflow>({
        referral: input.referral,
        policy,
        calendar: state.calendar,
        ...(input.limits === undefined ? {} : { limits: input.limits }),
        carried: carriedState(state, isoAt(Date.now()), run.historyLength),
        channel,
      });
    }
    timer.set(decision.wakeAt);
    await condition(() => changed || timer.fired);
  }
}
