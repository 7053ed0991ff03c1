/**
 * The case's child workflows, started and told as the case process decides: the LADO referral (`<ref>-lado`) and
 * the forensic wait (`<ref>-forensic`). Both start with the ABANDON parent-close policy, so they outlive this run's
 * continue-as-new, and are reached by workflow id.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { ChildMessage, ChildStart } from '../../domain/case-process';
import type { ProcedurePolicy } from '../../domain/policy';
import { forensicWaitWorkflow } from '../forensic/forensic-workflow';
import { ladoWorkflow } from '../lado/lado-workflow';
import { signalChild } from '../shared/child-messages';
import { forensicWorkflowId, ladoWorkflowId, type RunLimits } from './messages';

/**
 * Starts a child the case process decided to start; false when its previous run (a child started again after a
 * correction) is still finishing, so the case tries again later.
 */
export async function startCaseChild(
  start: ChildStart,
  policy: ProcedurePolicy,
  limits: RunLimits | undefined,
  channel: string,
): Promise<boolean> {
  try {
    if (start.kind === 'lado') {
      await startChild(ladoWorkflow, {
        workflowId: ladoWorkflowId(start.input.caseReference),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ ...start.input, channel }],
      });
    } else {
      await startChild(forensicWaitWorkflow, {
        workflowId: forensicWorkflowId(start.input.referral.caseReference),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ ...start.input, policy, channel, ...(limits === undefined ? {} : { limits }) }],
      });
    }
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/** Tells a child an event or a calendar change; a child that has ended meanwhile needs telling nothing. */
export async function tellChild(caseReference: string, channel: string, message: ChildMessage): Promise<void> {
  const { child, ...said } = message;
  const id = child === 'lado' ? ladoWorkflowId(caseReference) : forensicWorkflowId(caseReference);
  try {
    await signalChild(id, channel, said);
  } catch {
    // The child finished meanwhile (ExternalWorkflowExecutionNotFound): nothing left to tell it.
  }
}
