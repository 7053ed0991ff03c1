/**
 * Resilience in virtual time: a worker stopped during the forensic wait and a new one carrying on, an SMTP
 * outage of two days, and an 18-month forensic wait whose histories stay bounded by continue-as-new. In each,
 * every notification the planner calls for is delivered exactly once.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../domain/calendar';
import type { caseWorkflow } from '../../workflows';
import { forensicWorkflowId } from '../../workflows/case/messages';
import type { ForensicWaitResult } from '../../workflows/forensic/messages';
import { ukDateOf } from '../../domain/calendar';
import { expectedNotifications, longForensicWait, type Scenario } from './scenarios';
import {
  advanceTo,
  caseInput,
  createCaseTestEnvironment,
  createCaseWorker,
  outsideWorld,
  type OutsideWorld,
  recordOn,
  runsOf,
} from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment, perTest: true });

/** Delivered notification ids with the UK date each was delivered on. */
function delivered(world: OutsideWorld): Map<string, string> {
  const byMessageId = new Map(world.mailer.sent.map((m) => [m.messageId, m]));
  return new Map(world.sentLog.all().map((r) => [r.notificationId, ukDateOf(byMessageId.get(r.messageId)?.at ?? 0)]));
}

/** Every expected notification delivered once, on its date unless it fell in `late` (then on `lateOn`). */
function expectDeliveredOnce(world: OutsideWorld, s: Scenario, late?: { from: string; to: string; on: string }): void {
  const expected = expectedNotifications(s, '2027-01-04' as IsoDate);
  const got = delivered(world);
  expect([...got.keys()].sort()).toEqual(expected.map((e) => e.id).sort());
  expect(world.mailer.sent).toHaveLength(expected.length);
  for (const e of expected) {
    const inOutage = late !== undefined && e.date >= late.from && e.date <= late.to;
    expect(`${e.id} ${got.get(e.id)}`).toBe(`${e.id} ${inOutage ? late.on : e.date}`);
  }
}

/** Records the scenario's events from `fromIndex` on, each at 10:00 on its date, up to `untilDate`. */
async function play(
  handle: Parameters<typeof recordOn>[1],
  s: Scenario,
  untilDate: string,
  fromIndex = 0,
): Promise<number> {
  let i = fromIndex;
  for (; i < s.events.length && s.events[i].occurredOn <= untilDate; i += 1) await recordOn(env(), handle, s.events[i]);
  return i;
}

describe('resilience', () => {
  it('carries on after the worker is stopped during the forensic wait: nothing lost, nothing twice', async () => {
    const s = longForensicWait(6);
    const world = outsideWorld();
    const taskQueue = `tq-${randomUUID()}`;
    // No workflow cache, hence no sticky queue: the time-skipping test server never moves a task off a stopped
    // worker's sticky queue (its fallback timer is on the virtual clock, which stands still while the task waits).
    // A worker lost with its sticky queue is shown on the dev server (tests/platform/worker-failover.test.ts).
    const first = await createCaseWorker(env(), taskQueue, world, { maxCachedWorkflows: 0 });
    const next = await first.runUntil(async () => {
      await advanceTo(env(), '2027-01-04', 8);
      const handle = await env().client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        taskQueue,
        workflowId: s.referral.caseReference,
        args: [caseInput(s.referral)],
      });
      const index = await play(handle, s, '2027-03-31');
      await advanceTo(env(), '2027-04-05', 9);
      return index;
    });
    const sentBefore = world.mailer.sent.length;
    expect(sentBefore).toBeGreaterThan(0);
    // A new worker (empty workflow cache: it replays the histories) carries on.
    const second = await createCaseWorker(env(), taskQueue, world);
    await second.runUntil(async () => {
      const handle = env().client.workflow.getHandle<typeof caseWorkflow>(s.referral.caseReference);
      await play(handle, s, s.until, next);
      await handle.result();
    });
    expect(world.mailer.sent.length).toBeGreaterThan(sentBefore);
    expectDeliveredOnce(world, s);
  }, 300_000);

  it('delivers every notification once after a two-day SMTP outage', async () => {
    const s = longForensicWait(3);
    const world = outsideWorld();
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await createCaseWorker(env(), taskQueue, world);
    await worker.runUntil(async () => {
      await advanceTo(env(), '2027-01-04', 8);
      const handle = await env().client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        taskQueue,
        workflowId: s.referral.caseReference,
        args: [caseInput(s.referral)],
      });
      // Mail server down from Thursday 28 January 08:00 to Saturday 30 January 08:00.
      const played = await play(handle, s, '2027-01-27');
      await advanceTo(env(), '2027-01-28', 8);
      world.mailer.down = true;
      await advanceTo(env(), '2027-01-30', 8);
      world.mailer.down = false;
      await play(handle, s, s.until, played);
      await handle.result();
    });
    expect(world.mailer.refused).toBeGreaterThan(0);
    // 28 and 29 January's notifications are delivered on the 30th, once the server is back (retries back off
    // to at most an hour), the others on their own date.
    expectDeliveredOnce(world, s, { from: '2027-01-28', to: '2027-01-29', on: '2027-01-30' });
    const outage = expectedNotifications(s, '2027-01-04' as IsoDate).filter(
      (e) => e.date >= '2027-01-28' && e.date <= '2027-01-29',
    );
    expect(outage.length).toBeGreaterThan(0);
  }, 300_000);

  it('keeps histories bounded with continue-as-new through an 18-month forensic wait', async () => {
    const s = longForensicWait(18);
    const world = outsideWorld();
    const taskQueue = `tq-${randomUUID()}`;
    const limit = 120;
    const worker = await createCaseWorker(env(), taskQueue, world);
    const { result, wait } = await worker.runUntil(async () => {
      await advanceTo(env(), '2027-01-04', 8);
      const handle = await env().client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        taskQueue,
        workflowId: s.referral.caseReference,
        args: [caseInput(s.referral, { historyLength: limit })],
      });
      await play(handle, s, s.until);
      return {
        result: await handle.result(),
        wait: (await env()
          .client.workflow.getHandle(forensicWorkflowId(s.referral.caseReference))
          .result()) as ForensicWaitResult,
      };
    });
    expect(result.runs).toBeGreaterThan(1);
    expect(wait).toMatchObject({ endedBy: 'charged', serious: true });
    expect(wait.runs).toBeGreaterThan(1);
    // Every run of both workflows stayed near the limit (a run ends at the first loop turn past it).
    for (const id of [s.referral.caseReference, forensicWorkflowId(s.referral.caseReference)]) {
      for (const run of await runsOf(env(), id)) expect(run.history.events?.length ?? 0).toBeLessThan(limit + 60);
    }
    expectDeliveredOnce(world, s);
  }, 600_000);
});
