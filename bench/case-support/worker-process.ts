/**
 * Child-process entry of the case benchmarks' worker: the production topology, where the worker is its own
 * process and clients (the duty team's CLI, managers' queries, here the benchmark driver) are elsewhere. It
 * connects to the server the parent started, runs the case workflows over the real activities with an
 * in-memory mailer and sent log, samples its own resident memory, and on `stop` shuts down and reports what it
 * measured. Driven by {@link ./remote-worker.ts}; not run by hand.
 */
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { writeHeapSnapshot } from 'node:v8';
import type { Worker as NodeWorkerThread } from 'node:worker_threads';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { InMemorySentLog } from '../../mail/sent-log';
import { SyntheticStaffDirectory } from '../../mail/staff-directory';
import { workflowThreads } from '../../worker/tuning';
import type { Mailer } from '../../activities';

/** What the parent sends first. */
export interface WorkerProcessStart {
  readonly kind: 'start';
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly bundleCode: string;
  readonly options: Partial<
    Pick<
      WorkerOptions,
      | 'maxCachedWorkflows'
      | 'maxConcurrentWorkflowTaskExecutions'
      | 'maxConcurrentLocalActivityExecutions'
      | 'workflowThreadPoolSize'
    >
  >;
}

/** What the worker process reports when stopped. */
export interface WorkerProcessReport {
  readonly kind: 'report';
  /** Peak resident set size of this process while cases ran, in bytes (sampled every 100 ms). */
  readonly peakRss: number;
  /** Resident set size when the worker was ready, before any case. */
  readonly readyRss: number;
  /** CPU time of this process (all threads) between `measure` and `stop`, in ms. */
  readonly cpuMs: number;
  /** CPU time per thread kind over the process's life, in ms (Linux only; empty elsewhere). */
  readonly threadsMs: Record<string, number>;
  readonly emails: number;
  /** Where the resident memory is at the end (Linux): file-backed and anonymous pages, and this thread's V8 heap. */
  readonly memoryAtEnd: string;
}

/** A control message from the parent. */
export type WorkerProcessControl = WorkerProcessStart | { readonly kind: 'measure' } | { readonly kind: 'stop' };

/** A mailer that only counts (the benchmarks check delivery counts, not content). */
class CountingMailer implements Mailer {
  count = 0;
  sendMail(): Promise<unknown> {
    this.count += 1;
    return Promise.resolve({});
  }
}

/** CPU per thread, grouped: main, workflow threads, V8/libuv helpers, sdk-core (Rust) threads. */
function threadCpuMs(): Record<string, number> {
  const out: Record<string, number> = {};
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      const key = tid === String(process.pid) ? 'main' : name === 'node' ? 'node threads' : `core ${name}`;
      out[key] = (out[key] ?? 0) + ms;
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** With CASE_WORKER_MAPPINGS=1: resident anonymous memory by mapping size (V8 pages, malloc arenas...). */
function anonymousMappings(): string {
  if (!process.env.CASE_WORKER_MAPPINGS) return '';
  const classes = new Map<string, { count: number; kb: number }>();
  let size = 0;
  let anonymous = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      size = (parseInt(header[2], 16) - parseInt(header[1], 16)) / 1024;
      anonymous = header[3] === '' || header[3].startsWith('[heap]') || header[3].startsWith('[anon');
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss || !anonymous || rss[1] === '0') continue;
    const label =
      size <= 256 ? '<=256K' : size <= 1024 ? '<=1M' : size <= 8192 ? '<=8M' : size <= 65536 ? '<=64M' : '>64M';
    const c = classes.get(label) ?? { count: 0, kb: 0 };
    c.count += 1;
    c.kb += Number(rss[1]);
    classes.set(label, c);
  }
  return (
    '; anonymous by mapping size: ' +
    [...classes].map(([label, c]) => `${label} ×${c.count} ${(c.kb / 1024).toFixed(0)} MB`).join(', ')
  );
}

/** File-backed vs anonymous resident memory and the main thread's V8 heap, in MB. */
function memoryDetail(): string {
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
  const usage = process.memoryUsage();
  let pages = '';
  try {
    const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? NaN) * 1024;
    pages = `anonymous ${mb(kb('Anonymous'))}, file-backed ${mb(kb('Rss') - kb('Anonymous'))}, `;
  } catch {
    // No /proc.
  }
  return `RSS ${mb(usage.rss)}: ${pages}main-thread V8 heap ${mb(usage.heapUsed)} used of ${mb(usage.heapTotal)}${anonymousMappings()}`;
}

/** The SDK's pool of workflow threads (not public API: reached only for the heap-snapshot diagnostic below). */
interface WorkflowThreadPool {
  readonly workflowCreator?: { readonly workerThreadClients?: readonly { readonly workerThread: NodeWorkerThread }[] };
}

/**
 * Diagnostic: with CASE_WORKER_MAIN_SNAPSHOT / CASE_WORKER_HEAP_SNAPSHOT set to a file path, writes a heap
 * snapshot of the main thread / of the first workflow thread when the run ends (open in Chrome DevTools).
 */
async function writeHeapSnapshots(worker: Worker): Promise<void> {
  const mainPath = process.env.CASE_WORKER_MAIN_SNAPSHOT;
  if (mainPath) writeHeapSnapshot(mainPath);
  const threadPath = process.env.CASE_WORKER_HEAP_SNAPSHOT;
  const thread = (worker as unknown as WorkflowThreadPool).workflowCreator?.workerThreadClients?.[0]?.workerThread;
  if (threadPath && thread) await pipeline(await thread.getHeapSnapshot(), createWriteStream(threadPath));
}

function send(message: WorkerProcessReport | { kind: 'ready' }): void {
  process.send?.(message);
}

async function run(start: WorkerProcessStart): Promise<void> {
  Runtime.install({
    // ERROR: the time-skipping test server lacks capabilities sdk-core warns about on every start.
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  const mailer = new CountingMailer();
  const connection = await NativeConnection.connect({ address: start.address });
  const worker = await Worker.create({
    connection,
    namespace: start.namespace,
    taskQueue: start.taskQueue,
    workflowBundle: { code: start.bundleCode },
    activities: {
      ...createActivities({ mailer, sentLog: new InMemorySentLog(), directory: new SyntheticStaffDirectory() }),
      // The floor workflows' local activity (bench/floor/): does nothing.
      floorNoop: () => Promise.resolve(),
    },
    // As the production worker (worker/worker.ts): one workflow thread per core unless the benchmark says.
    workflowThreadPoolSize: workflowThreads(),
    ...start.options,
  });
  let peakRss = process.memoryUsage.rss();
  const readyRss = peakRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  let cpuFrom = process.cpuUsage();
  const stopped = new Promise<void>((resolve) => {
    process.on('message', (m: WorkerProcessControl) => {
      if (m.kind === 'measure') {
        cpuFrom = process.cpuUsage();
        peakRss = process.memoryUsage.rss();
      }
      if (m.kind === 'stop') resolve();
    });
  });
  const running = worker.run();
  send({ kind: 'ready' });
  await stopped;
  await writeHeapSnapshots(worker);
  const cpu = process.cpuUsage(cpuFrom);
  clearInterval(sampler);
  const report: WorkerProcessReport = {
    kind: 'report',
    peakRss,
    readyRss,
    cpuMs: (cpu.user + cpu.system) / 1000,
    threadsMs: threadCpuMs(),
    emails: mailer.count,
    memoryAtEnd: memoryDetail(),
  };
  worker.shutdown();
  await running;
  await connection.close();
  send(report);
}

process.once('message', (m: WorkerProcessControl) => {
  if (m.kind !== 'start') throw new Error(`worker process: expected a start message, got ${m.kind}`);
  run(m).then(
    () => process.disconnect(),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
