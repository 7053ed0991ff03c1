/**
 * Measurements shared by the case workflow benchmarks: CPU time of this process and of Temporal's time-skipping
 * test server that sdk-core launches under it, so a wall time can be split between worker and server; and the
 * shape of a finished workflow's history (events, workflow tasks).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** CPU time used so far, in milliseconds. */
export interface CpuSnapshot {
  /** This process, all threads (main, workflow threads, sdk-core's Rust threads). */
  readonly workerMs: number;
  /** The test server's JVM (a descendant of this process), from /proc; undefined without /proc. */
  readonly serverMs: number | undefined;
  readonly wallMs: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

function childProcessesCpuMs(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const parentOf = new Map<number, number>();
  const cpuOf = new Map<number, number>();
  const servers: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
      cpuOf.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND);
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('io.temporal.testserver.TestServer'))
        servers.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  return servers.filter(descends).reduce((sum, pid) => sum + (cpuOf.get(pid) ?? 0), 0);
}

/** CPU used so far by the worker process and the server process. */
export function cpuSnapshot(): CpuSnapshot {
  const usage = process.cpuUsage();
  return { workerMs: (usage.user + usage.system) / 1000, serverMs: childProcessesCpuMs(), wallMs: performance.now() };
}

/** "wall W s, worker CPU X s, server CPU Y s" between two snapshots. */
export function describeCpu(from: CpuSnapshot, to: CpuSnapshot): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const server = from.serverMs === undefined || to.serverMs === undefined ? 'n/a' : s(to.serverMs - from.serverMs);
  return `wall ${s(to.wallMs - from.wallMs)}, worker CPU ${s(to.workerMs - from.workerMs)}, server CPU ${server}`;
}

/** Number of events and of completed workflow tasks in a workflow run's history. */
export interface HistoryShape {
  readonly events: number;
  readonly workflowTasks: number;
  readonly timers: number;
  readonly activities: number;
}

/** The history shape of a workflow (its current or last run). */
export async function historyShape(handle: WorkflowHandle): Promise<HistoryShape> {
  const history = await handle.fetchHistory();
  const T = temporal.api.enums.v1.EventType;
  const count = (type: temporal.api.enums.v1.EventType) =>
    (history.events ?? []).filter((e) => e.eventType === type).length;
  return {
    events: history.events?.length ?? 0,
    workflowTasks: count(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    timers: count(T.EVENT_TYPE_TIMER_STARTED),
    activities: count(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
  };
}
