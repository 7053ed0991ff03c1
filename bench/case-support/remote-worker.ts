/**
 * Runs the case workflows' worker in a child process (./worker-process.ts) connected to the benchmark's test
 * server, so the worker's memory and CPU are measured apart from the client that drives the cases.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerProcessControl, WorkerProcessReport, WorkerProcessStart } from './worker-process';

/** A worker running in its own process. */
export interface RemoteWorker {
  /** Starts the measured interval (CPU and peak RSS are counted from here). */
  measure(): void;
  /** Stops the worker and returns what it measured. */
  stop(): Promise<WorkerProcessReport>;
  /** The child's pid (its CPU is excluded from the server's in measure.ts). */
  readonly pid: number;
}

/** Node options of the worker process: `CASE_WORKER_NODE_OPTIONS` adds V8 flags to measure. */
function execArgv(): string[] {
  const extra = (process.env.CASE_WORKER_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  return ['--require', require.resolve('tsx/cjs'), ...extra];
}

/** Forks the worker process and resolves when it polls `taskQueue`. */
export async function startRemoteWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  bundleCode: string,
  options: WorkerProcessStart['options'],
): Promise<RemoteWorker> {
  const child: ChildProcess = fork(path.join(__dirname, 'worker-process.ts'), [], {
    execArgv: execArgv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const post = (m: WorkerProcessControl) => child.send(m);
  const next = <T>(kind: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { kind: string }) => {
        if (m.kind !== kind) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`worker process exited (${code}) before sending "${kind}"`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = next<{ kind: 'ready' }>('ready');
  post({ kind: 'start', address: env.address, namespace: env.namespace ?? 'default', taskQueue, bundleCode, options });
  await ready;
  return {
    pid: child.pid ?? -1,
    measure: () => post({ kind: 'measure' }),
    stop: async () => {
      const report = next<WorkerProcessReport>('report');
      post({ kind: 'stop' });
      return report;
    },
  };
}
