/**
 * A child workflow runs only as the child of its case: Temporal sets a workflow's parent only when a workflow
 * starts it, so a child started directly by a client (with any input it likes) fails before doing anything.
 * Node-free.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { isChannelKey } from '../../domain/case-process';

/** `ApplicationFailure.type` of a child workflow that was not started by its case. */
export const NOT_STARTED_BY_CASE = 'NotStartedByCase';

/**
 * Checks that this run belongs to the case `caseWorkflowId` as the child `childWorkflowId` and was given the case's
 * channel key; returns the case's workflow id.
 */
export function belongingToCase(caseWorkflowId: string, childWorkflowId: string, channel: unknown): string {
  const info = workflowInfo();
  if (info.parent?.workflowId !== caseWorkflowId || info.workflowId !== childWorkflowId || !isChannelKey(channel)) {
    throw ApplicationFailure.create({
      type: NOT_STARTED_BY_CASE,
      message: `${info.workflowType} runs only as the child its case starts`,
      nonRetryable: true,
    });
  }
  return caseWorkflowId;
}
