import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../test-server/clock';

const DAY = 24 * 3600 * 1000;
const clocks: VirtualClock[] = [];

function newClock(): VirtualClock {
  const clock = new VirtualClock(true);
  clocks.push(clock);
  return clock;
}

afterEach(() => {
  for (const c of clocks.splice(0)) c.stop();
});

describe('virtual clock lock counting', () => {
  it('accepts more unlocks than locks (overlapping result() waits) and is locked again once every lock is back', async () => {
    const clock = newClock();
    clock.unlock();
    clock.unlock(); // a second waiter, before the first locks again
    expect(clock.locks).toBe(-1);
    let fired = false;
    clock.scheduleIn(DAY, () => {
      fired = true;
    });
    await delay(20);
    expect(fired).toBe(true);
    clock.lock();
    clock.lock();
    expect(clock.locks).toBe(1);
    let firedLater = false;
    clock.scheduleIn(DAY, () => {
      firedLater = true;
    });
    await delay(50);
    expect(firedLater).toBe(false);
  });

  it('never skips over outstanding work, however far the count is below zero', async () => {
    const clock = newClock();
    clock.unlock();
    clock.unlock();
    clock.unlock();
    clock.markBusy('wft:run-1');
    const start = clock.now();
    let fired = false;
    clock.scheduleIn(DAY, () => {
      fired = true;
    });
    await delay(50);
    expect(fired).toBe(false);
    expect(clock.now() - start).toBeLessThan(DAY);
    clock.markIdle('wft:run-1');
    await delay(20);
    expect(fired).toBe(true);
    expect(clock.now() - start).toBeGreaterThanOrEqual(DAY);
  });
});
