/**
 * The forensic-wait child workflow: runs beside the case for as long as the police investigate — the examination
 * of seized devices and pre-charge bail, often many months, after the case's closure too — until the police
 * decide (charge or no further action). It carries out what the forensic process (domain/case-process) decides:
 * the police-update and bail reminders, when to wake, when the wait is over. Continues as new to keep its
 * history bounded. See ./messages.ts for the design.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { ukDateOf } from '../../domain/calendar';
import {
  applyForensicMessage,
  carriedForensicState,
  decideForensic,
  forensicSteps,
  isoAt,
  openForensicState,
  settleForensicNotices,
} from '../../domain/case-process';
import { caseWorkflowId, DEFAULT_HISTORY_LENGTH_LIMIT, forensicWorkflowId } from '../case/messages';
import { acceptCaseMessage } from '../../domain/case-process';
import { belongingToCase } from '../shared/child-guard';
import { caseMessageSignal, droppedSignal, reportToCase } from '../shared/child-messages';
import { sendNoticeBatch } from '../shared/notifier';
import { withSharedReferenceData } from '../shared/shared-inputs';
import { WakeTimer } from '../shared/wake-timer';
import { forensicLogQuery, forensicStepsQuery, type ForensicWaitInput, type ForensicWaitResult } from './messages';

/** Follows the forensic wait of a case until the police decide. */
export async function forensicWaitWorkflow(input: ForensicWaitInput): Promise<ForensicWaitResult> {
  const reference = input.referral.caseReference;
  const parentId = belongingToCase(caseWorkflowId(reference), forensicWorkflowId(reference), input.channel);
  withSharedReferenceData(input);
  const { policy, channel } = input;
  const historyLimit = input.limits?.historyLength ?? DEFAULT_HISTORY_LENGTH_LIMIT;
  let state = openForensicState(input, input.carried, Date.now());
  let changed = false;
  const sending = new Set<Promise<void>>();
  const timer = new WakeTimer();

  setHandler(caseMessageSignal, (raw) => {
    const message = acceptCaseMessage(raw, channel);
    if (message === undefined) return droppedSignal(caseMessageSignal.name);
    state = applyForensicMessage(state, message);
    changed = true;
  });
  setHandler(forensicStepsQuery, () => forensicSteps(state, policy, ukDateOf(Date.now())));
  setHandler(forensicLogQuery, () => [...state.log]);

  for (;;) {
    changed = false;
    const decision = decideForensic(state, policy, Date.now());
    state = decision.state;
    if (decision.ended !== undefined) {
      await reportToCase(parentId, channel, {
        from: 'forensic',
        at: isoAt(Date.now()),
        kind: 'forensic',
        detail: decision.ended.detail,
        finished: true,
      });
      return decision.ended.outcome;
    }
    if (decision.notices.length > 0) {
      const batch = sendNoticeBatch(decision.notices).then((outcomes) => {
        state = settleForensicNotices(state, outcomes, Date.now(), policy);
        changed = true;
        sending.delete(batch);
      });
      sending.add(batch);
    }

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= historyLimit) {
      await condition(() => sending.size === 0 && allHandlersFinished());
      if (changed) continue;
      await continueAsNew<typeof forensicWaitWorkflow>({
        referral: state.referral,
        policy,
        calendar: state.calendar,
        events: state.events,
        ...(state.frozen === undefined ? {} : { frozen: state.frozen }),
        ...(input.limits === undefined ? {} : { limits: input.limits }),
        carried: carriedForensicState(state),
        channel,
      });
    }
    timer.set(decision.wakeAt);
    await condition(() => changed || timer.fired);
  }
}
