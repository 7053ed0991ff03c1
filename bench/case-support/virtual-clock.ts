/**
 * Moves a time-skipping environment's clock forward from where the driver last left it, without asking the
 * server for the time before each step (one round trip less per recorded event). After `advance(t)` the server
 * is at `t` plus the real milliseconds the driver then spends (the server clock runs at wall speed while
 * nothing skips), so each later target is reached within a few milliseconds — the same UK date and hour.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type IsoDate, ukInstant } from '../../domain/calendar';

/** A driver's view of virtual time. */
export class VirtualClock {
  #at: number | undefined;

  constructor(private readonly env: TestWorkflowEnvironment) {}

  /** Sleeps (virtual time) until `hour`:00 UK time on `date`, unless the clock is already there or later. */
  async advanceTo(date: IsoDate, hour: number): Promise<void> {
    const target = ukInstant(date, hour);
    this.#at ??= await this.env.currentTimeMs();
    if (target > this.#at) {
      await this.env.sleep(target - this.#at);
      this.#at = target;
    }
  }
}
