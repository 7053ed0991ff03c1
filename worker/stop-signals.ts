/**
 * Ctrl-C and SIGTERM for cpflow's long-running processes. One Ctrl-C reaches the process more than once: the
 * terminal signals the whole process group and npm forwards the signal it got too. Repeats within
 * {@link SAME_SIGNAL_WINDOW_MS} are the same request to stop; a later one forces the exit.
 */

/** Repeats of a stop signal within this window are the same Ctrl-C. */
export const SAME_SIGNAL_WINDOW_MS = 2000;

/** What to do when a stop is asked for: run the stop function now, or as soon as one is given. */
export interface StopRequest {
  /** Calls `stop` once a stop is asked for (at once if it already was). */
  whenAsked(stop: () => void): void;
}

/** Listens for SIGINT and SIGTERM; the first asks for a stop, a repeat after the window exits with 130. */
export function onStopSignals(log: (line: string) => void, what: string): StopRequest {
  let requestedAt: number | undefined;
  let stop: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (requestedAt !== undefined) {
      if (now - requestedAt < SAME_SIGNAL_WINDOW_MS) return;
      log(`Received ${signal} again; exiting without waiting for a clean stop.`);
      process.exit(130);
    }
    log(`Received ${signal}; stopping ${what} (Ctrl-C again to force)...`);
    requestedAt = now;
    stop?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    whenAsked(fn: () => void) {
      stop = fn;
      if (requestedAt !== undefined) fn();
    },
  };
}
