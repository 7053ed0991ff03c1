/**
 * The server's clock. In time-skipping mode it behaves like Temporal's test server
 * (SelfAdvancingTimer): virtual time runs at wall-clock speed, and jumps straight to the next
 * scheduled timer whenever time skipping is unlocked and no work is outstanding (no workflow
 * task, activity task or query waiting for or running on a worker). In real-time mode it is
 * the wall clock and never jumps.
 */

/** A scheduled callback that can be cancelled. */
export interface TimerHandle {
  cancel(): void;
}

interface ScheduledTimer extends TimerHandle {
  at: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

const MAX_REAL_DELAY_MS = 2 ** 31 - 1;

/** Virtual clock with Temporal test-server time-skipping semantics. */
export class VirtualClock {
  private offsetMs = 0;
  private lockCount: number;
  private readonly outstanding = new Set<string>();
  private readonly heap: ScheduledTimer[] = [];
  private seq = 0;
  private wakeup: NodeJS.Timeout | undefined;
  private kicked = false;
  private stopped = false;

  /**
   * @param timeSkipping false for real-time mode (the clock never jumps)
   * @param initiallyLocked Temporal's test server starts with skipping locked; clients unlock it
   */
  constructor(
    readonly timeSkipping: boolean,
    initiallyLocked = true,
  ) {
    this.lockCount = initiallyLocked ? 1 : 0;
  }

  /** Current server time in epoch milliseconds. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Runs `fire` when the clock reaches `at` (epoch ms). */
  scheduleAt(at: number, fire: () => void): TimerHandle {
    const timer: ScheduledTimer = {
      at,
      seq: this.seq++,
      fire,
      cancelled: false,
      cancel: () => {
        timer.cancelled = true;
      },
    };
    this.push(timer);
    this.kick();
    return timer;
  }

  /** Runs `fire` after `delayMs` of server time. */
  scheduleIn(delayMs: number, fire: () => void): TimerHandle {
    return this.scheduleAt(this.now() + Math.max(0, delayMs), fire);
  }

  /** Resolves when the server clock reaches `at`. */
  waitUntil(at: number): Promise<void> {
    return new Promise((resolve) => this.scheduleAt(at, resolve));
  }

  /** Forbids time skipping until a matching {@link unlock}. */
  lock(): void {
    this.lockCount++;
  }

  /**
   * Releases one {@link lock}. The count may go below zero: several time-skipping `result()`
   * waits running at once each unlock first and lock again when they finish, so the count dips
   * below zero meanwhile and is back where it started once all have finished. (Temporal's Java
   * test server shares one counter between these calls and its own locks for outstanding work,
   * so there such calls fail only if nothing else happens to hold time at that instant; here
   * outstanding work is tracked apart and still stops skipping, see {@link canSkip}.)
   */
  unlock(): void {
    this.lockCount--;
    this.kick();
  }

  /** Current lock count (diagnostics and tests). */
  get locks(): number {
    return this.lockCount;
  }

  /** Records outstanding work (e.g. `wft:<runId>`) that must finish before time may skip. */
  markBusy(key: string): void {
    this.outstanding.add(key);
  }

  /** Records that outstanding work identified by `key` is done. */
  markIdle(key: string): void {
    if (this.outstanding.delete(key)) this.kick();
  }

  /** True when the clock may jump to the next timer right now. */
  canSkip(): boolean {
    return this.timeSkipping && this.lockCount <= 0 && this.outstanding.size === 0;
  }

  /** Stops all pending wake-ups (server shutdown). */
  stop(): void {
    this.stopped = true;
    if (this.wakeup) clearTimeout(this.wakeup);
  }

  private kick(): void {
    if (this.kicked || this.stopped) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopped) return;
    for (;;) {
      const next = this.peek();
      if (!next) break;
      if (next.at <= this.now()) {
        this.pop();
        try {
          next.fire();
        } catch (err) {
          if (process.env.CPFLOW_TEST_SERVER_LOG) console.error('timer callback failed', err);
        }
        continue;
      }
      if (this.canSkip()) {
        this.offsetMs += next.at - this.now();
        continue;
      }
      break;
    }
    if (this.wakeup) clearTimeout(this.wakeup);
    this.wakeup = undefined;
    const next = this.peek();
    if (next) {
      const delay = Math.min(MAX_REAL_DELAY_MS, Math.max(0, next.at - this.now()));
      this.wakeup = setTimeout(() => this.pump(), delay);
      this.wakeup.unref();
    }
  }

  private peek(): ScheduledTimer | undefined {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
    return this.heap[0];
  }

  private less(a: ScheduledTimer, b: ScheduledTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(timer: ScheduledTimer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): ScheduledTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
