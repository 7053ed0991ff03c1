/**
 * The LADO child workflow (§2.6, §2.18): carries out what the LADO process (domain/case-process) decides — the
 * referral to the Local Authority Designated Officer at once (an email with only the case reference, step, due
 * date and where to look), the acknowledgement chased on the policy's dates, and the end when the LADO's outcome
 * is recorded on the case (or the case closes). See ./messages.ts for the interplay with the case.
 */
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  applyLadoMessage,
  decideLado,
  type LadoMessage,
  ladoStatusOf,
  openLadoState,
  settleLadoNotices,
} from '../../domain/case-process';
import { calendarChangedSignal, caseEventSignal, caseEventsSignal, reportToCase } from '../shared/child-messages';
import { sendNoticeBatch } from '../shared/notifier';
import { withSharedReferenceData } from '../shared/shared-inputs';
import { WakeTimer } from '../shared/wake-timer';
import { type LadoResult, ladoStatusQuery, type LadoWorkflowInput } from './messages';

/** Sends the LADO referral, chases its acknowledgement and waits for the outcome. */
export async function ladoWorkflow(input: LadoWorkflowInput): Promise<LadoResult> {
  let state = openLadoState(withSharedReferenceData(input));
  const parentId = workflowInfo().parent?.workflowId ?? input.caseReference;
  let changed = false;
  const timer = new WakeTimer();

  const told = (message: LadoMessage) => {
    state = applyLadoMessage(state, message);
    changed = true;
  };
  setHandler(caseEventSignal, (event) => told({ kind: 'event', event }));
  setHandler(caseEventsSignal, (events) => told({ kind: 'events', events }));
  setHandler(calendarChangedSignal, (change) => told({ kind: 'calendar', calendar: change.calendar }));
  setHandler(ladoStatusQuery, () => ladoStatusOf(state));

  for (;;) {
    changed = false;
    const decision = decideLado(state, Date.now());
    state = decision.state;
    for (const report of decision.reports) await reportToCase(parentId, report);
    if (decision.result !== undefined) return decision.result;
    if (decision.notices.length > 0) {
      void sendNoticeBatch(decision.notices).then((outcomes) => {
        state = settleLadoNotices(state, outcomes, Date.now());
        changed = true;
      });
    }
    timer.set(decision.wakeAt);
    await condition(() => changed || timer.fired);
  }
}
