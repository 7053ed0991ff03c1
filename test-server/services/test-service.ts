/**
 * temporal.api.testservice.v1.TestService handlers: time-skipping control, as in Temporal's
 * Java test server.
 */
import type { VirtualClock } from '../clock';
import { durationToMs, msToTimestamp, timestampToMs } from '../proto';
import type { ServiceHandlers } from './handler';

/** Builds the TestService handlers. */
export function testServiceHandlers(clock: VirtualClock): ServiceHandlers {
  return {
    LockTimeSkipping: () => {
      clock.lock();
      return {};
    },
    UnlockTimeSkipping: () => {
      clock.unlock();
      return {};
    },
    UnlockTimeSkippingWithSleep: async (req) => {
      // Unlock, let time run (or skip) to the target, then lock again.
      // The lock is taken inside the timer callback, before the clock's pump loop can skip past the target
      // to a later timer (as Temporal's test server stops exactly at the target).
      const target = clock.now() + durationToMs(req.duration as never);
      clock.unlock();
      await new Promise<void>((resolve) =>
        clock.scheduleAt(target, () => {
          clock.lock();
          resolve();
        }),
      );
      return {};
    },
    Sleep: async (req) => {
      await clock.waitUntil(clock.now() + durationToMs(req.duration as never));
      return {};
    },
    SleepUntil: async (req) => {
      await clock.waitUntil(timestampToMs(req.timestamp as never));
      return {};
    },
    GetCurrentTime: () => ({ time: msToTimestamp(clock.now()) }),
  };
}
