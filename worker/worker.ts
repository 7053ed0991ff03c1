/**
 * Construction of cpflow's Temporal worker: the case workflows (bundled from `workflows/index.ts`) and the
 * activities, polling one task queue.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
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
  /** Workflow module to bundle; default `workflows/index.ts`. Tests point it at fixtures. */
  readonly workflowsPath?: string;
}

/** Creates (but does not run) the cpflow worker; call `run()` on the result. */
export async function createCpflowWorker(options: CpflowWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? CPFLOW_TASK_QUEUE,
    workflowsPath: options.workflowsPath ?? defaultWorkflowsPath(),
    activities: options.activities,
  });
}

/**
 * `workflows/index` as a file path: `require.resolve('../workflows')` under tsx or compiled JS; the `.ts`
 * file directly where `require` does not know TypeScript (e.g. under vitest).
 */
export function defaultWorkflowsPath(): string {
  try {
    return require.resolve('../workflows');
  } catch (err) {
    const source = path.resolve(__dirname, '../workflows/index.ts');
    if (existsSync(source)) return source;
    throw err;
  }
}
