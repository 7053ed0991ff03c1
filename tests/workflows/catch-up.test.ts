/**
 * A case opened late (the referral was received days before anyone opened it): every step already overdue gets
 * the escalations it is owed at once — one per step and role whose escalation date has passed — and no stale
 * reminder. Also: serious forensic results reopen the stage, and the notice they trigger is logged once.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../domain/calendar';
import { isDated, planTimeline } from '../../domain/planner';
import { WorkingDayCalendar } from '../../domain/calendar';
import type { caseWorkflow } from '../../workflows';
import { caseLogQuery, caseStatusQuery, recordEventUpdate } from '../../workflows/case/messages';
import {
  advanceTo,
  calendarData,
  caseInput,
  createCaseTestEnvironment,
  createCaseWorker,
  deliveredIds,
  ev,
  outsideWorld,
  policy,
  recordOn,
  referral,
  searchAttributesOf,
  withCase,
} from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment, perTest: true });

const REF = 'CP-2027-000001';

describe('a case opened after its steps are overdue', () => {
  it('sends each overdue step its owed escalations at once, one per role, and no stale reminder', async () => {
    const world = outsideWorld();
    const ref = referral('2027-01-04');
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await createCaseWorker(env(), taskQueue, world);
    await worker.runUntil(async () => {
      // Opened on Tuesday 12 January at 10:00, eight days after the referral was received.
      await advanceTo(env(), '2027-01-12', 10);
      await env().client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        taskQueue,
        workflowId: REF,
        args: [caseInput(ref)],
      });
      await advanceTo(env(), '2027-01-12', 11);
    });
    // What the planner says is overdue on the 12th, and which escalation dates have passed by then.
    const calendar = WorkingDayCalendar.fromData(calendarData);
    const timeline = planTimeline({ referral: ref, events: [], policy, calendar, today: '2027-01-12' as IsoDate });
    const expected = timeline.steps
      .filter((s) => s.status === 'overdue' && s.track === 'child-protection')
      .filter(isDated)
      .flatMap((s) =>
        policy.notifications.escalations
          .map((e) => ({
            role: e.to,
            on: calendar.addWorkingDays(s.dueDate, e.workingDaysAfterDue, 'anchor-is-day-0'),
          }))
          .filter((e) => e.on <= '2027-01-12')
          .map(
            (e) =>
              `${s.id}/overdue-escalation/${s.dueDate}/${e.role === 'team-manager' ? 'team-manager:team-north' : 'service-manager:sm-0101'}@${e.on}`,
          ),
      )
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const delivered = deliveredIds(world);
    // All delivered on the opening day, each once.
    expect(delivered.every((d) => d.startsWith('2027-01-12 '))).toBe(true);
    const escalations = delivered
      .filter((d) => d.includes('/overdue-escalation/'))
      .map((d) => d.slice(`2027-01-12 ${REF}/`.length))
      .sort();
    expect(escalations).toEqual(expected);
    // No reminder dated before the opening day.
    expect(delivered.filter((d) => /\/(reminder|due-today)\//.test(d) && !d.endsWith('@2027-01-12'))).toEqual([]);
    expect(world.mailer.sent.some((m) => m.to.startsWith('team-manager.team-north'))).toBe(true);
  }, 120_000);
});

describe('serious forensic results after the initial conference', () => {
  it('takes the stage back to strategy-discussion until the new discussion is held, and logs the notice once', async () => {
    const world = outsideWorld();
    const ref = referral('2027-01-04', { police: { devicesSeized: { count: 1, seizedOn: '2027-01-04' } } });
    await withCase(env(), world, caseInput(ref), async (handle) => {
      await recordOn(
        env(),
        handle,
        ev('2027-01-04', {
          type: 'strategy-discussion',
          section47: 'initiated',
          questions: {},
          riskFactors: [],
        } as never),
      );
      await recordOn(env(), handle, ev('2027-01-05', { type: 'partner-interview' }));
      await recordOn(env(), handle, ev('2027-01-07', { type: 'alleged-perpetrator-interview', interviewers: 2 }));
      await recordOn(env(), handle, ev('2027-01-20', { type: 'icpc', outcome: 'no-plan' } as never));
      // Nothing of the procedure left but the police investigation: the case shows the wait.
      expect((await handle.query(caseStatusQuery)).stage).toBe('forensic-wait');
      await recordOn(
        env(),
        handle,
        ev('2027-03-10', { type: 'forensic-results', findings: ['images-of-household-children'] }),
      );
      expect((await handle.query(caseStatusQuery)).stage).toBe('strategy-discussion');
      await expect.poll(() => searchAttributesOf(handle)).toMatchObject({ CpflowStage: 'strategy-discussion' });
      await advanceTo(env(), '2027-03-11', 10);
      const receipt = await handle.executeUpdate(recordEventUpdate, {
        args: [
          ev('2027-03-11', {
            type: 'strategy-discussion',
            section47: 'initiated',
            questions: {},
            riskFactors: [],
          } as never),
        ],
      });
      expect(receipt.stage).toBe('section-47-enquiry');
      const log = await handle.query(caseLogQuery);
      const notices = log.filter(
        (e) => e.stepId === 'forensic-strategy-discussion' && e.detail.startsWith('reminder to practitioner'),
      );
      expect(notices.map((e) => e.kind)).toEqual(['reminder']);
      expect(log.filter((e) => e.kind === 'stage-change').map((e) => e.detail)).toEqual(
        expect.arrayContaining([
          'stage forensic-wait → strategy-discussion',
          'stage strategy-discussion → section-47-enquiry',
        ]),
      );
    });
  }, 120_000);
});
