/** Workflows exercising child workflows, continue-as-new, search attributes, memo and task failures. */
import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  executeChild,
  sleep,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Doubles its input. */
export async function doubler(n: number): Promise<number> {
  return n * 2;
}

/** Runs `doubler` as a child and returns its result plus one. */
export async function parentOfDoubler(n: number): Promise<number> {
  return (await executeChild(doubler, { args: [n], workflowId: `${workflowInfo().workflowId}-child` })) + 1;
}

/** Waits for a signal that never comes (child used by the parent-close-policy test). */
export async function waitForever(): Promise<void> {
  await condition(() => false);
}

/** Starts two long-sleeping children (TERMINATE and ABANDON policies), then completes. */
export async function parentWithPolicies(): Promise<string[]> {
  const id = workflowInfo().workflowId;
  const a = await startChild(waitForever, { workflowId: `${id}-terminate`, parentClosePolicy: ParentClosePolicy.TERMINATE });
  const b = await startChild(waitForever, { workflowId: `${id}-abandon`, parentClosePolicy: ParentClosePolicy.ABANDON });
  return [a.workflowId, b.workflowId];
}

/** Continues as new `n` times; returns the run count and the memo it sees. */
export async function countdown(n: number, runs = 1): Promise<{ runs: number; memo: unknown; continuedFromRunId?: string }> {
  if (n > 0) await continueAsNew<typeof countdown>(n - 1, runs + 1);
  return { runs, memo: workflowInfo().memo, continuedFromRunId: workflowInfo().continuedFromExecutionRunId };
}

export const stageKey = defineSearchAttributeKey('ConformanceStage', SearchAttributeType.KEYWORD);

/** Upserts its stage search attribute and a memo field, then waits a day and completes. */
export async function stageUpserter(stage: string): Promise<void> {
  upsertSearchAttributes([{ key: stageKey, value: stage }]);
  upsertMemo({ note: `moved to ${stage}` });
  await sleep('1 day');
}

/** Version 1 of a workflow with a bug: fails its workflow task (see fixed/). */
export async function taskFailer(): Promise<string> {
  throw new TypeError('bug: cannot read the referral');
}

/** Starts a child that waits forever, and waits for it (describe shows the pending child). */
export async function parentAwaitingChild(): Promise<void> {
  await executeChild(waitForever, { workflowId: `${workflowInfo().workflowId}-child` });
}
