/**
 * Construction of cpflow's Temporal worker: the case workflows (bundled from `workflows/index.ts`) and the
 * activities, polling one task queue.
 */
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { CpflowActivities } from '../activities';
import type { Tracing } from '../observability/tracing';
import { CPFLOW_TASK_QUEUE } from '../workflows/task-queue';
import { maxCachedCases, workflowThreads } from './tuning';

/** `maxCachedWorkflows` when a case capacity is set (see worker/tuning.ts), else nothing (the SDK's default). */
function cacheSize(cases: number | undefined): { maxCachedWorkflows?: number } {
  return cases === undefined ? {} : { maxCachedWorkflows: cases };
}
import { bundleWorkflowsInChildProcess, defaultWorkflowsPath } from './workflow-bundle';

export { defaultWorkflowsPath } from './workflow-bundle';

/** Options of {@link createCpflowWorker}. */
export interface CpflowWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  /** Default {@link CPFLOW_TASK_QUEUE}. */
  readonly taskQueue?: string;
  readonly activities: CpflowActivities;
  /** Workflow threads and cached cases; default from the process environment (worker/tuning.ts). */
  readonly tuning?: { readonly workflowThreads?: number; readonly maxCachedCases?: number };
  /** Workflow module to bundle; default `workflows/index.ts`. Tests point it at fixtures. */
  readonly workflowsPath?: string;
  /** Tracing (observability/tracing.ts): its interceptors go into the worker and the workflow bundle. */
  readonly tracing?: Pick<Tracing, 'workerInterceptors' | 'sinks' | 'workflowInterceptorModules'>;
  /** The payload codec's converter (client/temporal-settings): what the worker writes to histories, encrypted. */
  readonly dataConverter?: DataConverter;
}

/**
 * Creates (but does not run) the cpflow worker; call `run()` on the result. The workflows are bundled in a
 * child process (worker/workflow-bundle.ts), so webpack's memory never stays in the worker; workflow code runs
 * on one thread per core (worker/tuning.ts).
 */
export async function createCpflowWorker(options: CpflowWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? CPFLOW_TASK_QUEUE,
    workflowBundle: await bundleWorkflowsInChildProcess(options.workflowsPath ?? defaultWorkflowsPath(), {
      workflowInterceptorModules: options.tracing?.workflowInterceptorModules ?? [],
    }),
    activities: options.activities,
    ...(options.tracing === undefined
      ? {}
      : { interceptors: options.tracing.workerInterceptors, sinks: options.tracing.sinks }),
    ...(options.dataConverter === undefined ? {} : { dataConverter: options.dataConverter }),
    workflowThreadPoolSize: options.tuning?.workflowThreads ?? workflowThreads(),
    ...cacheSize(options.tuning?.maxCachedCases ?? maxCachedCases()),
  });
}
