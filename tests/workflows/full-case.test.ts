/**
 * A full twelve-month case with a forensic wait, simulated in virtual time: every reminder and escalation the
 * planner calls for is delivered once, on its date at 09:00 UK time (or right after the event that created
 * it), to the right person — child-protection deadlines fire on time throughout the forensic wait (§2.17) —
 * and nothing is sent after closure.
 */
import { randomUUID } from 'node:crypto';
import type { IsoDate } from '../../domain/calendar';
import { describe, expect, it } from 'vitest';
import type { caseWorkflow } from '../../workflows';
import { auditTrailQuery, caseLogQuery, caseStatusQuery } from '../../workflows/case/messages';
import { ukDateOf } from '../../domain/calendar';
import { expectedNotifications, twelveMonthCase } from './scenarios';
import {
  advanceTo,
  caseInput,
  createCaseTestEnvironment,
  createCaseWorker,
  outsideWorld,
  recordOn,
  ukStamp,
} from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment });

/** Delivered notifications as `date id`, with the UK time each was delivered. */
export function deliveries(world: ReturnType<typeof outsideWorld>): { id: string; stamp: string; at: number }[] {
  const byMessageId = new Map(world.mailer.sent.map((m) => [m.messageId, m]));
  return world.sentLog.all().map((r) => {
    const mail = byMessageId.get(r.messageId);
    if (mail === undefined) throw new Error(`no mail for ${r.notificationId}`);
    return { id: r.notificationId, stamp: ukStamp(mail.at), at: mail.at };
  });
}

describe('a twelve-month case with a forensic wait', () => {
  it('sends every reminder and escalation once, on its date, and stops at closure', async () => {
    const scenario = twelveMonthCase();
    const world = outsideWorld();
    const taskQueue = `tq-${randomUUID()}`;
    const worker = await createCaseWorker(env(), taskQueue, world);
    const result = await worker.runUntil(async () => {
      await advanceTo(env(), '2027-01-04', 8);
      const handle = await env().client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        taskQueue,
        workflowId: scenario.referral.caseReference,
        args: [caseInput(scenario.referral)],
      });
      for (const event of scenario.events) await recordOn(env(), handle, event);
      const closed = await handle.result();
      await advanceTo(env(), '2028-03-01', 12);
      return {
        closed,
        log: await handle.query(caseLogQuery),
        audit: await handle.query(auditTrailQuery),
        status: await handle.query(caseStatusQuery),
      };
    });

    expect(result.closed).toEqual({
      caseReference: 'CP-2027-000001',
      closedOn: '2027-12-17',
      reason: 'services-ceased-other-reason',
      runs: 1,
    });
    const delivered = deliveries(world);
    // Exactly the oracle's notifications, each once, on its date.
    const expected = expectedNotifications(scenario, '2027-01-04' as IsoDate);
    expect(delivered.map((d) => d.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(world.mailer.sent).toHaveLength(expected.length);
    const dateOf = new Map(expected.map((e) => [e.id, e.date]));
    for (const d of delivered) expect(`${d.id} ${ukDateOf(d.at)}`).toBe(`${d.id} ${dateOf.get(d.id)}`);
    // Scheduled ones go at 09:00; those created by an event of the day right after it (10:00); the allocation
    // when the case opens (08:00).
    for (const d of delivered) {
      const at = d.id.includes('/allocation/') ? '08h' : d.stamp.endsWith('09h') ? '09h' : '10h';
      expect(d.stamp.endsWith(at)).toBe(true);
    }

    // Spot checks, by hand from the policy and calendar.
    const ids = new Set(delivered.map((d) => `${d.stamp.slice(0, 10)} ${d.id}`));
    const ref = 'CP-2027-000001';
    for (const line of [
      // ICPC due 26 Jan (15 working days after the strategy discussion): reminder 2 working days before.
      `2027-01-22 ${ref}/icpc/reminder/2027-01-26/practitioner:sw-0042@2027-01-22`,
      // Police update every 4 weeks from seizure (forensic child), to the practitioner.
      `2027-01-28 ${ref}/police-update-1/reminder/2027-02-01/practitioner:sw-0042@2027-01-28`,
      `2027-02-01 ${ref}/police-update-1/due-today/2027-02-01/practitioner:sw-0042@2027-02-01`,
      // Serious results on 20 Sep: immediate notice, new strategy discussion due the next working day.
      `2027-09-20 ${ref}/forensic-strategy-discussion/reminder/2027-09-21/practitioner:sw-0042@opened-2027-09-20`,
    ]) {
      expect(ids).toContain(line);
    }
    const stampsOf = (prefix: string) =>
      delivered
        .filter((d) => d.id.startsWith(`${ref}/${prefix}`))
        .map((d) => d.stamp)
        .sort();
    // Each bail end (4 April, then as extended on 1 April and 1 July) is reminded 5 working days before it; the
    // extensions and the charge came before each end date, so no "due today" went out for any of them.
    const bail = delivered
      .filter((d) => d.id.startsWith(`${ref}/pre-charge-bail-ends/`))
      .map((d) => d.id.split('/')[2] + ' ' + d.id.split('/')[3]);
    expect(bail.sort()).toEqual(['reminder 2027-04-04', 'reminder 2027-07-02', 'reminder 2027-10-01']);
    // The late visit was escalated to the team manager (and only that visit, only to the team manager).
    const escalations = delivered.filter((d) => d.id.includes('/overdue-escalation/'));
    expect(escalations.map((d) => d.id.split('/')[1])).toEqual(['visit-5']);
    expect(escalations[0].id).toContain('team-manager:team-north');
    // Visits were reminded throughout the forensic wait (Jan–Sep), not held back (§2.17).
    const visitMonths = new Set(stampsOf('visit-').map((s) => s.slice(0, 7)));
    for (const month of ['2027-02', '2027-04', '2027-06', '2027-08']) expect(visitMonths).toContain(month);
    // Nothing after closure.
    expect(delivered.every((d) => d.stamp <= '2027-12-17 10h')).toBe(true);

    expect(result.audit).toHaveLength(scenario.events.length);
    expect(result.audit.every((a) => a.at.startsWith(a.event?.occurredOn ?? 'x'))).toBe(true);
    expect(result.status).toMatchObject({ stage: 'closed', open: false, overdue: [] });
    const kinds = new Set(result.log.map((e) => e.kind));
    for (const kind of ['case-opened', 'event-recorded', 'stage-change', 'reminder', 'escalation', 'forensic'])
      expect(kinds).toContain(kind);
    const times = result.log.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
  }, 600_000);
});
