/**
 * The LADO child workflow (§2.6, §2.18): carries out what the LADO process (domain/case-process) decides — the
 * referral to the Local Authority Designated Officer at once (an email with only the case reference, step, due
 * date and where to look), the acknowledgement chased on the policy's dates, and the end when the LADO's outcome
 * is recorded on the case (or the case closes). See ./messages.ts for the interplay with the case.
 */
import { condition, setHandler } from '@temporalio/workflow';
import {
  acceptCaseMessage,
  applyLadoMessage,
  decideLado,
  ladoStatusOf,
  openLadoState,
  settleLadoNotices,
} from '../../domain/case-process';
import { caseWorkflowId, ladoWorkflowId } from '../case/messages';
import { belongingToCase } from '../shared/child-guard';
import { caseMessageSignal, droppedSignal, reportToCase } from '../shared/child-messages';
import { sendNoticeBatch } from '../shared/notifier';
import { withSharedReferenceData } from '../shared/shared-inputs';
import { WakeTimer } from '../shared/wake-timer';
import { type LadoResult, ladoStatusQuery, type LadoWorkflowInput } from './messages';

/** Sends the LADO referral, chases its acknowledgement and waits for the outcome. */
export async function ladoWorkflow(input: LadoWorkflowInput): Promise<LadoResult> {
  const { caseReference, channel } = input;
  const parentId = belongingToCase(caseWorkflowId(caseReference), ladoWorkflowId(caseReference), channel);
  let state = openLadoState(withSharedReferenceData(input));
  let changed = false;
  const timer = new WakeTimer();

  setHandler(caseMessageSignal, (raw) => {
    const message = acceptCaseMessage(raw, channel);
    if (message === undefined) return droppedSignal(caseMessageSignal.name);
    state = applyLadoMessage(state, message);
    changed = true;
  });
  setHandler(ladoStatusQuery, () => ladoStatusOf(state));

  for (;;) {
    changed = false;
    const decision = decideLado(state, Date.now());
    state = decision.state;
    for (const report of decision.reports) await reportToCase(parentId, channel, report);
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
