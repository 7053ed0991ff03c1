/**
 * Signals between a case and its child workflows (LADO referral, forensic wait). Each carries the case's channel
 * key (domain/case-process/child-channel): a signal without it, from any other client of the namespace, is
 * dropped by the side that receives it. Node-free.
 */
import { defineSignal, getExternalWorkflowHandle, log } from '@temporalio/workflow';
import type { CaseMessage, CaseMessageEnvelope, ChildReport } from '../../domain/case-process';
import { childReportSignal } from '../case/messages';

/** A message from the case to a child: an event recorded, the corrected list, or a new calendar. */
export const caseMessageSignal = defineSignal<[CaseMessageEnvelope]>('caseMessage');

/** Sends a child a message from its case over the channel. */
export async function signalChild(workflowId: string, channel: string, message: CaseMessage): Promise<void> {
  await getExternalWorkflowHandle(workflowId).signal(caseMessageSignal, { channel, message });
}

/**
 * Signals the case a child's report. Signalling a running workflow cannot fail, so a failure means the case has
 * completed (closed, or ended by an operator): there is nobody left to tell, and the child carries on to its end.
 */
export async function reportToCase(caseWorkflowId: string, channel: string, report: ChildReport): Promise<void> {
  try {
    await getExternalWorkflowHandle(caseWorkflowId).signal(childReportSignal, { channel, report });
  } catch {
    // The case is gone (ExternalWorkflowExecutionNotFound).
  }
}

/** Logs (without its contents) a signal dropped because it did not come over the case's channel. */
export function droppedSignal(signal: string): void {
  log.warn('signal dropped: not from this case over its channel, or not in the shape it sends', { signal });
}
