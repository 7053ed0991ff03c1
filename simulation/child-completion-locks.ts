/**
 * Driving a case on Temporal's time-skipping test server needs one correction. When a child workflow completes,
 * the server takes a time-skipping lock that the parent run releases when it records the completion; if the run
 * that started the child has closed by then (a case continues as new during an 18-month forensic wait), the
 * server drops the report and the lock is never released, so virtual time stops for good (temporalio/sdk-java
 * issue 1540). A case's LADO referral and forensic wait do outlive the case run that started them, so whoever
 * drives a case on that server releases each such lock once, after checking it was leaked: the child has
 * closed, the run that started it has closed, and that run's history never recorded the child's end.
 */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { forensicWorkflowId, ladoWorkflowId } from '../workflows/case/messages';

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
const NOT_FOUND = 5;

/** The end of a child as its parent records it, whichever way it ended. */
function recordsEndOf(event: temporal.api.history.v1.IHistoryEvent, childId: string): boolean {
  const ended =
    event.childWorkflowExecutionCompletedEventAttributes ??
    event.childWorkflowExecutionFailedEventAttributes ??
    event.childWorkflowExecutionCanceledEventAttributes ??
    event.childWorkflowExecutionTimedOutEventAttributes ??
    event.childWorkflowExecutionTerminatedEventAttributes;
  return ended?.workflowExecution?.workflowId === childId;
}

async function describeOrUndefined(client: Client, workflowId: string, runId?: string) {
  try {
    return await client.workflow.getHandle(workflowId, runId).describe();
  } catch (err) {
    if ((err as { code?: number }).code === NOT_FOUND || (err as Error).name === 'WorkflowNotFoundError')
      return undefined;
    throw err;
  }
}

/** What the end of a child workflow did to the server's time-skipping lock. */
type ChildEnd = 'running' | 'released-by-parent' | 'leaked';

async function childEnd(client: Client, childId: string): Promise<ChildEnd> {
  const child = await describeOrUndefined(client, childId);
  if (child === undefined || child.raw.workflowExecutionInfo?.status === RUNNING) return 'running';
  const parent = child.raw.workflowExecutionInfo?.parentExecution;
  if (!parent?.workflowId || !parent.runId) return 'released-by-parent';
  const parentRun = await describeOrUndefined(client, parent.workflowId, parent.runId);
  // A running parent run records the child's end and releases the lock itself.
  if (parentRun === undefined || parentRun.raw.workflowExecutionInfo?.status === RUNNING) return 'released-by-parent';
  const history = await client.workflow.getHandle(parent.workflowId, parent.runId).fetchHistory();
  return (history.events ?? []).some((event) => recordsEndOf(event, childId)) ? 'released-by-parent' : 'leaked';
}

/** How often a sleeping {@link TimeSkipper} looks for leaked locks, in real milliseconds. */
const WATCH_EVERY_MS = 200;

/**
 * Skips virtual time on the test server for the cases it watches, releasing each lock their children leak —
 * before the skip, and during it, since a child may end (and leak) while time is being skipped.
 */
export class TimeSkipper {
  readonly #env: TestWorkflowEnvironment;
  /** Per watched case, the children whose end has been dealt with. */
  readonly #settled = new Map<string, Set<string>>();

  constructor(env: TestWorkflowEnvironment) {
    this.#env = env;
  }

  /** Looks after the children of this case from now on. */
  watch(caseReference: string): void {
    if (!this.#settled.has(caseReference)) this.#settled.set(caseReference, new Set());
  }

  /** `env.sleep(ms)`, releasing leaked locks meanwhile. */
  async sleep(ms: number): Promise<void> {
    await this.#releaseLeaked();
    let done = false;
    const sleeping = this.#env.sleep(ms).finally(() => {
      done = true;
    });
    while (!done) {
      await Promise.race([sleeping, new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS))]);
      if (!done) await this.#releaseLeaked();
    }
    await sleeping;
  }

  async #releaseLeaked(): Promise<void> {
    const testService = this.#env.connection.testService;
    if (testService === undefined) throw new TypeError('env: must be a time-skipping test environment');
    for (const [caseReference, settled] of this.#settled) {
      for (const childId of [ladoWorkflowId(caseReference), forensicWorkflowId(caseReference)]) {
        if (settled.has(childId)) continue;
        const end = await childEnd(this.#env.client, childId);
        if (end === 'running') continue;
        if (end === 'leaked') await testService.unlockTimeSkipping({});
        settled.add(childId);
      }
    }
  }
}
