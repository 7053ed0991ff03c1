/**
 * How the cpflow worker runs workflow code on the machine it is given. Workflow code is single-threaded
 * JavaScript in the SDK's workflow threads; with one thread (the SDK's default when it reuses its V8 context)
 * a worker holding many cases leaves a core idle while a burst of workflow tasks queues behind that thread —
 * 1,000 cases waking at the same 09:00 on a 2-core machine took 62.6 s with one thread and 52.6 s with two
 * (docs/benchmarks-workflows.md). The default is one thread per core, at most {@link MAX_DEFAULT_WORKFLOW_THREADS};
 * `CPFLOW_WORKFLOW_THREADS` overrides it.
 *
 * How many cases a worker keeps cached bounds its memory: measured at ≈1.0 MB of resident memory per cached
 * 90-day case, of which ≈0.5 MB is the SDK's own floor per cached workflow (docs/benchmarks-workflows.md).
 * `CPFLOW_MAX_CACHED_CASES` sets it (e.g. ≈250 for a 500 MB worker); unset, the SDK sizes the cache from the
 * V8 heap limit. A case that is not cached replays its history when it next wakes; more cases than a worker
 * should hold mean more worker processes on the same task queue.
 */
import { availableParallelism } from 'node:os';

/** The most workflow threads chosen by default (each costs a V8 heap and a copy of the workflow bundle). */
export const MAX_DEFAULT_WORKFLOW_THREADS = 4;

/** `CPFLOW_WORKFLOW_THREADS` or `CPFLOW_MAX_CACHED_CASES` is set to something it cannot be. */
export class WorkerTuningError extends Error {
  override readonly name = 'WorkerTuningError';
}

/** The number of cached workflows for this environment: undefined (the SDK's default) unless `CPFLOW_MAX_CACHED_CASES` is set. */
export function maxCachedCases(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const configured = env.CPFLOW_MAX_CACHED_CASES;
  if (configured === undefined || configured.trim() === '') return undefined;
  const cases = Number(configured);
  if (!Number.isInteger(cases) || cases < 2) {
    throw new WorkerTuningError(`CPFLOW_MAX_CACHED_CASES: must be a whole number of at least 2`);
  }
  return cases;
}

/** The number of workflow threads for this machine and environment. */
export function workflowThreads(env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): number {
  const configured = env.CPFLOW_WORKFLOW_THREADS;
  if (configured === undefined || configured.trim() === '')
    return Math.max(1, Math.min(cores, MAX_DEFAULT_WORKFLOW_THREADS));
  const threads = Number(configured);
  if (!Number.isInteger(threads) || threads < 1 || threads > 32) {
    throw new WorkerTuningError(`CPFLOW_WORKFLOW_THREADS: must be a whole number from 1 to 32`);
  }
  return threads;
}
