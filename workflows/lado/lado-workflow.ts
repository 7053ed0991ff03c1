/**
 * The LADO child workflow (§2.6, §2.18): sends the referral to the Local Authority Designated Officer at once
 * (an email with only the case reference, step, due date and where to look), chases the acknowledgement on
 * the schedule the domain decides (`ladoChases`), and ends when the LADO's outcome is recorded on the case (or the
 * case closes).
 * See ./messages.ts for the interplay with the case.
 */
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { type IsoDate, sharedCalendar } from '../../domain/calendar';
import { withSharedReferenceData } from '../shared/shared-inputs';
import type { ChildReport } from '../case/messages';
import { calendarChangedSignal, caseEventSignal, reportToCase } from '../shared/child-messages';
import { ukDateOf, ukInstant } from '../../domain/calendar';
import {
  emailTitle,
  ladoAcknowledgementDue,
  ladoChases,
  NOTIFY_HOUR,
  noticeFor,
  type NoticeOutcome,
} from '../../domain/case-process';
import { Notifier } from '../shared/notifier';
import { LADO_ACK_STEP, type LadoResult, type LadoStatus, ladoStatusQuery, type LadoWorkflowInput } from './messages';

/** Sends the LADO referral, chases its acknowledgement and waits for the outcome. */
export async function ladoWorkflow(input: LadoWorkflowInput): Promise<LadoResult> {
  let calendar = sharedCalendar(withSharedReferenceData(input).calendar);
  let sentOn: IsoDate | undefined = input.referralSentOn;
  let acknowledgedOn: IsoDate | undefined;
  let outcome: string | undefined;
  let closed = false;
  let chasesSent = 0;
  const parentId = workflowInfo().parent?.workflowId ?? input.caseReference;
  const now = () => new Date(Date.now()).toISOString();

  const report = async (r: Omit<ChildReport, 'from' | 'at'>) => {
    await reportToCase(parentId, { from: 'lado', at: now(), ...r });
  };
  const notifier = new Notifier([], () => undefined);
  const logOf = (o: NoticeOutcome) =>
    o.status === 'failed'
      ? `${o.notice.kind} email to ${o.notice.recipient} failed: ${o.failure ?? 'unknown'}`
      : `${o.notice.kind} email to ${o.notice.recipient} ${o.status}`;

  setHandler(caseEventSignal, (event) => {
    if (event.type === 'lado-referral-sent') sentOn ??= event.occurredOn;
    else if (event.type === 'lado-referral-acknowledged') acknowledgedOn ??= event.occurredOn;
    else if (event.type === 'lado-outcome') outcome ??= event.outcome;
    else if (event.type === 'case-closed') closed = true;
  });
  setHandler(calendarChangedSignal, (change) => {
    calendar = sharedCalendar(change.calendar);
  });
  const ackDue = () => (sentOn === undefined ? undefined : ladoAcknowledgementDue(input, sentOn, calendar));
  const status = (): LadoStatus => ({
    ...(sentOn === undefined ? {} : { referralSentOn: sentOn, acknowledgementDue: ackDue() }),
    ...(acknowledgedOn === undefined ? {} : { acknowledgedOn }),
    ...(outcome === undefined ? {} : { outcome }),
    chasesSent,
  });
  setHandler(ladoStatusQuery, status);

  // 1. The referral, at once.
  if (sentOn === undefined) {
    const base = {
      caseReference: input.caseReference,
      stepId: 'lado-referral',
      stepTitle: emailTitle(input.stepTitle),
      dueDate: input.dueDate,
      kind: 'lado-referral' as const,
      recipient: input.lado,
    };
    const result = await notifier.send(noticeFor(base, input.knownOn));
    if (result.status === 'failed') {
      await report({
        kind: 'notification-failed',
        stepId: 'lado-referral',
        detail: `${logOf(result)}; send the referral by hand`,
      });
    } else if (sentOn === undefined) {
      sentOn = ukDateOf(Date.now());
      await report({
        kind: 'lado-referral',
        stepId: 'lado-referral',
        detail: logOf(result),
        ladoReferralSentOn: sentOn,
      });
    }
  }

  // 2. Chase the acknowledgement.
  const settled = () => acknowledgedOn !== undefined || outcome !== undefined || closed;
  await condition(() => sentOn !== undefined || settled());
  // Planned again at each chase: a holiday announced meanwhile moves the chases still to come.
  const chases = () => (sentOn === undefined ? [] : ladoChases(input, sentOn, calendar));
  for (let i = 0; i < chases().length && !settled(); i += 1) {
    const { on: chaseOn, acknowledgementDue: due } = chases()[i];
    const wait = ukInstant(chaseOn, NOTIFY_HOUR) - Date.now();
    if (wait > 0 && (await condition(settled, wait))) break;
    if (settled()) break;
    const base = {
      caseReference: input.caseReference,
      stepId: LADO_ACK_STEP.id,
      stepTitle: LADO_ACK_STEP.title,
      dueDate: due,
      kind: 'overdue' as const,
      recipient: input.lado,
    };
    const result = await notifier.send(noticeFor(base, chaseOn));
    chasesSent += 1;
    await report({
      kind: result.status === 'failed' ? 'notification-failed' : 'lado',
      stepId: LADO_ACK_STEP.id,
      detail: `acknowledgement chase ${i + 1}: ${logOf(result)}`,
    });
  }

  // 3. The outcome.
  await condition(() => outcome !== undefined || closed);
  const endedBy = outcome !== undefined ? 'outcome' : 'case-closed';
  await report({
    kind: 'lado',
    detail: outcome !== undefined ? `LADO outcome recorded: ${outcome}` : 'case closed before the LADO outcome',
    finished: true,
  });
  return { ...status(), endedBy };
}
