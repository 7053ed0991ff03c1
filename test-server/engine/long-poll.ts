/**
 * Long polls: how long a caller is held (task polls, history and update waits) and the wait on a
 * set of change listeners that ends when a condition holds, the time is up or the caller leaves.
 */

/** Longest a long poll (history wait, update wait) is held before an empty answer. */
export const LONG_POLL_MS = 20_000;

/** Longest a worker's task poll is held before an empty answer. */
export const TASK_POLL_MS = 55_000;

/**
 * Resolves once `ready()` holds — checked now and each time a listener in `listeners` is called —,
 * after {@link LONG_POLL_MS}, or when the caller cancels. Never rejects: the caller reads the
 * state it waited on.
 */
export function waitUntil(listeners: Set<() => void>, ready: () => boolean, onCancel: (cb: () => void) => void): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (ready()) finish();
    };
    const finish = () => {
      listeners.delete(check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(finish, LONG_POLL_MS);
    timer.unref();
    listeners.add(check);
    onCancel(finish);
  });
}
