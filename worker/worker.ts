/**
 * Construction of cpflow's Temporal worker: the case workflows (bundled from `workflows/index.ts`) and the
 * activities, polling one task queue.
 */
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { CpflowActivities } from '../activities';
import { CPFLOW_TASK_QUEUE } from '../workflows/task-queue';

/** Options of {@link createCpflowWorker}. */
export interface CpflowWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  /** Default {@link CPFLOW_TASK_QUEUE}. */
  readonly taskQueue?: string;
  readonly activities: CpflowActivities;
}

/** Creates (but does not run) the cpflow worker; call `run()` on the result. */
export async function createCpflowWorker(options: CpflowWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? CPFLOW_TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: options.activities,
  });
}
