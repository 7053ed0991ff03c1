import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { withWorker } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import * as activities from './activities';
import { untilEvent } from './support';
import { sleeper } from './workflows';

const workflowsPath = path.resolve(__dirname, 'workflows');
const EventType = temporal.api.enums.v1.EventType;
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const env = useTestEnvironment();

function testService() {
  const service = env().connection.testService;
  if (!service) throw new Error('the time-skipping environment has no TestService');
  return service;
}

describe('time skipping through the TestService', () => {
  it('env.sleep stops at its target even with a later workflow timer, and locks skipping again', async () => {
    await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(sleeper, { taskQueue, workflowId: `ts-target-${randomUUID()}`, args: [DAY] });
      await untilEvent(handle, EventType.EVENT_TYPE_TIMER_STARTED, 'the day-long timer to start');
      const t0 = await env().currentTimeMs();
      await env().sleep('1 hour');
      const t1 = await env().currentTimeMs();
      expect(t1 - t0).toBeGreaterThanOrEqual(HOUR);
      expect(t1 - t0).toBeLessThan(HOUR + 5000);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      // Locked again: the clock now runs at wall speed, the day-long timer is not reached.
      await delay(300);
      const t2 = await env().currentTimeMs();
      expect(t2 - t1).toBeGreaterThanOrEqual(250);
      expect(t2 - t1).toBeLessThan(5000);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      const { before, after } = await handle.result();
      expect(after - before).toBeGreaterThanOrEqual(DAY);
    });
  });

  it('env.sleep past a workflow timer lets the workflow run to completion meanwhile', async () => {
    await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(sleeper, { taskQueue, workflowId: `ts-past-${randomUUID()}`, args: [HOUR] });
      await untilEvent(handle, EventType.EVENT_TYPE_TIMER_STARTED, 'the hour-long timer to start');
      await env().sleep('3 hours');
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    });
  });

  it('SleepUntil and Sleep wait for server time; GetCurrentTime runs at wall speed while locked', async () => {
    const service = testService();
    const start = await env().currentTimeMs();
    await delay(200);
    const afterWall = await env().currentTimeMs();
    expect(afterWall - start).toBeGreaterThanOrEqual(150);
    expect(afterWall - start).toBeLessThan(5000);

    await service.unlockTimeSkipping({});
    try {
      const target = afterWall + 3 * DAY;
      const wallStart = Date.now();
      await service.sleepUntil({ timestamp: msToTs(target) });
      expect(await env().currentTimeMs()).toBeGreaterThanOrEqual(target);
      await service.sleep({ duration: msToTs(7 * DAY) });
      expect(await env().currentTimeMs()).toBeGreaterThanOrEqual(target + 7 * DAY);
      expect(Date.now() - wallStart).toBeLessThan(2000);
    } finally {
      await service.lockTimeSkipping({});
    }
  });
});

describe('many result() waits at once', () => {
  it('lets Promise.all over result() of several sleeping workflows complete, then leaves skipping locked', async () => {
    await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const handles = await Promise.all(
        [1, 2, 3, 4, 5].map((days) =>
          client.workflow.start(sleeper, { taskQueue, workflowId: `ts-many-${days}-${randomUUID()}`, args: [days * DAY] }),
        ),
      );
      // Only timers pending: no workflow task or activity holds time.
      for (const h of handles) await untilEvent(h, EventType.EVENT_TYPE_TIMER_STARTED, 'each timer to start');
      const results = await Promise.all(handles.map((h) => h.result()));
      expect(results.map((r) => Math.round((r.after - r.before) / DAY))).toEqual([1, 2, 3, 4, 5]);

      // Every unlock was matched by a lock: skipping is locked again.
      const probe = await client.workflow.start(sleeper, { taskQueue, workflowId: `ts-probe-${randomUUID()}`, args: [DAY] });
      await untilEvent(probe, EventType.EVENT_TYPE_TIMER_STARTED, 'the probe timer to start');
      await delay(300);
      expect((await probe.describe()).status.name).toBe('RUNNING');
      await probe.terminate('probe done');
    });
  });

  it('keeps result() waits that start and finish at different times balanced', async () => {
    await withWorker(env(), { workflowsPath, activities }, async ({ client, taskQueue }) => {
      const long = await client.workflow.start(sleeper, { taskQueue, workflowId: `ts-long-${randomUUID()}`, args: [10 * DAY] });
      const waits = [long.result()];
      for (let i = 1; i <= 3; i++) {
        const h = await client.workflow.start(sleeper, { taskQueue, workflowId: `ts-short-${i}-${randomUUID()}`, args: [i * HOUR] });
        waits.push(h.result());
      }
      const results = await Promise.all(waits);
      expect(results).toHaveLength(4);
      const probe = await client.workflow.start(sleeper, { taskQueue, workflowId: `ts-probe2-${randomUUID()}`, args: [DAY] });
      await untilEvent(probe, EventType.EVENT_TYPE_TIMER_STARTED, 'the probe timer to start');
      await delay(300);
      expect((await probe.describe()).status.name).toBe('RUNNING');
      await probe.terminate('probe done');
    });
  });
});
