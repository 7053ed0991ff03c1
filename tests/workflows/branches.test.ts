/**
 * The branches of the procedure, each on its own in-memory server in virtual time: LADO referral (at referral
 * and from a later §2.6 answer), reassignment, extension, closure, risk factors with a written agreement,
 * serious forensic results reopening the strategy discussion, ICPC not required, newly announced holidays.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../domain/calendar';
import type { LadoResult } from '../../workflows/lado/messages';
import type { ForensicWaitResult } from '../../workflows/forensic/messages';
import {
  applyHolidaysUpdate,
  auditTrailQuery,
  caseLogQuery,
  forensicWorkflowId,
  ladoWorkflowId,
  overdueStepsQuery,
  recordEventUpdate,
  timelineQuery,
} from '../../workflows/case/messages';
import {
  advanceTo,
  caseInput,
  createCaseTestEnvironment,
  deliveredIds,
  ev,
  outsideWorld,
  recordOn,
  referral,
  overdueOn,
  searchAttributesOf,
  withCase,
  workflowTaskTimes,
} from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment, perTest: true });

const REF = 'CP-2027-000001';
const sd = (on: string, extra: Record<string, unknown> = {}) =>
  ev(on, { type: 'strategy-discussion', section47: 'initiated', questions: {}, riskFactors: [], ...extra } as never);

describe('LADO referral (§2.6, §2.18)', () => {
  it('sends the referral to the LADO at once, records it, chases the acknowledgement and ends with the outcome', async () => {
    const world = outsideWorld();
    const ref = referral('2027-01-04', {
      allegedPerson: {
        livesWithChildren: true,
        regularContactWithChildren: false,
        worksOrVolunteersWithChildren: true,
        holdsPositionOfTrust: false,
      },
    });
    await withCase(env(), world, caseInput(ref), async (handle) => {
      await advanceTo(env(), '2027-01-04', 8);
      await advanceTo(env(), '2027-01-04', 9);
      const audit = await handle.query(auditTrailQuery);
      expect(audit.map((a) => [a.recordedBy, a.event?.type, a.event?.occurredOn])).toEqual([
        ['sys-000', 'lado-referral-sent', '2027-01-04'],
      ]);
      const timeline = await handle.query(timelineQuery);
      expect(timeline.steps.find((s) => s.id === 'lado-referral')).toMatchObject({
        status: 'done',
        completedOn: '2027-01-04',
        dueDate: '2027-01-05',
      });
      // Acknowledgement expected 1 working day after sending (5 Jan); chased 1 and 3 working days later.
      await advanceTo(env(), '2027-01-11', 8);
      const ladoMails = deliveredIds(world).filter((l) => l.includes('/lado:'));
      expect(ladoMails).toEqual([
        `2027-01-04 ${REF}/lado-referral/lado-referral/2027-01-05/lado:lado-0101@2027-01-04`,
        `2027-01-06 ${REF}/lado-acknowledgement/overdue/2027-01-05/lado:lado-0101@2027-01-06`,
        `2027-01-08 ${REF}/lado-acknowledgement/overdue/2027-01-05/lado:lado-0101@2027-01-08`,
      ]);
      // The managers hear of it too, on the policy's escalation chain.
      expect(deliveredIds(world).filter((l) => l.includes('/lado-acknowledgement/overdue-escalation/'))).toEqual([
        `2027-01-06 ${REF}/lado-acknowledgement/overdue-escalation/2027-01-05/team-manager:team-north@2027-01-06`,
        `2027-01-08 ${REF}/lado-acknowledgement/overdue-escalation/2027-01-05/service-manager:sm-0101@2027-01-08`,
      ]);
      await recordOn(env(), handle, ev('2027-01-11', { type: 'lado-referral-acknowledged' }));
      await recordOn(env(), handle, ev('2027-01-20', { type: 'lado-outcome', outcome: 'unsubstantiated' }));
      const lado = (await env().client.workflow.getHandle(ladoWorkflowId(REF)).result()) as LadoResult;
      expect(lado).toEqual({
        referralSentOn: '2027-01-04',
        acknowledgementDue: '2027-01-05',
        acknowledgedOn: '2027-01-11',
        outcome: 'unsubstantiated',
        chasesSent: 2,
        endedBy: 'outcome',
      });
      const log = await handle.query(caseLogQuery);
      expect(log.filter((e) => e.kind === 'lado-referral').map((e) => e.at.slice(0, 10))).toEqual(['2027-01-04']);
      expect(log.some((e) => e.kind === 'lado' && e.detail.includes('LADO outcome recorded: unsubstantiated'))).toBe(
        true,
      );
    });
  }, 120_000);

  it('starts the LADO referral when a later strategy discussion learns of work with children', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await advanceTo(env(), '2027-01-05', 8);
      expect(deliveredIds(world).some((l) => l.includes('/lado'))).toBe(false);
      await recordOn(
        env(),
        handle,
        sd('2027-01-05', { questions: { 'person-accessing-images-in-contact-with-children-at-work': 'yes' } }),
      );
      await advanceTo(env(), '2027-01-05', 11);
      expect(deliveredIds(world).filter((l) => l.includes('/lado-referral/'))).toEqual([
        `2027-01-05 ${REF}/lado-referral/lado-referral/2027-01-06/lado:lado-0101@2027-01-05`,
      ]);
      const status = await env().client.workflow.getHandle(ladoWorkflowId(REF)).describe();
      expect(status.status.name).toBe('RUNNING');
    });
  }, 120_000);
});

describe('reassignment', () => {
  it('sends later reminders to the new practitioner and escalations to the new team manager', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await recordOn(env(), handle, ev('2027-01-04', { type: 'referral-decision', decision: 'section-47-enquiry' }));
      await recordOn(env(), handle, sd('2027-01-04'));
      await recordOn(
        env(),
        handle,
        ev('2027-01-04', { type: 'practitioner-reassigned', practitionerId: 'sw-0077', teamId: 'team-south' }),
      );
      // Partner interview due 5 Jan: due-today reminder to the new practitioner; escalation on 6 Jan to the new team.
      await advanceTo(env(), '2027-01-06', 12);
      const mails = deliveredIds(world);
      expect(mails).toContain(
        `2027-01-05 ${REF}/partner-interview/due-today/2027-01-05/practitioner:sw-0077@2027-01-05`,
      );
      expect(mails).toContain(
        `2027-01-06 ${REF}/partner-interview/overdue-escalation/2027-01-05/team-manager:team-south@2027-01-06`,
      );
      expect(mails.filter((m) => m.includes('sw-0042') && m >= '2027-01-05')).toEqual([]);
      await expect
        .poll(() => searchAttributesOf(handle))
        .toMatchObject({ CpflowAssignee: 'sw-0077', CpflowTeam: 'team-south' });
    });
  }, 120_000);
});

describe('extension', () => {
  it('moves the deadline, its reminders and escalations to the agreed date', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await recordOn(env(), handle, sd('2027-01-04'));
      const receipt = await handle.executeUpdate(recordEventUpdate, {
        args: [
          ev('2027-01-04', {
            type: 'deadline-extended',
            stepId: 'partner-interview',
            newDueDate: '2027-01-12',
            reason: 'family-unavailable',
            agreedBy: 'tm-0007',
          }),
        ],
      });
      // The alleged perpetrator's interview counts from the partner's (§2.15): it has no due date until then.
      expect(receipt.changedDueDates).toEqual([{ stepId: 'partner-interview', from: '2027-01-05', to: '2027-01-12' }]);
      await advanceTo(env(), '2027-01-13', 12);
      const partner = deliveredIds(world).filter((m) => m.includes('/partner-interview/'));
      expect(partner).toEqual([
        `2027-01-08 ${REF}/partner-interview/reminder/2027-01-12/practitioner:sw-0042@2027-01-08`,
        `2027-01-12 ${REF}/partner-interview/due-today/2027-01-12/practitioner:sw-0042@2027-01-12`,
        `2027-01-13 ${REF}/partner-interview/overdue-escalation/2027-01-12/team-manager:team-north@2027-01-13`,
      ]);
    });
  }, 120_000);
});

describe('closure', () => {
  it('stops every timer, completes the workflow and marks the case closed in search attributes', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await advanceTo(env(), '2027-01-07', 12);
      // The partner interview counts from the strategy discussion, not held: it is not overdue, it waits.
      expect(overdueOn(await searchAttributesOf(handle), '2027-01-07')).toEqual([
        'referral-decision@2027-01-05',
        's47-enquiry@2027-01-05',
        'strategy-discussion@2027-01-05',
      ]);
      await recordOn(
        env(),
        handle,
        ev('2027-01-07', { type: 'case-closed', reason: 'no-further-action-after-assessment' }),
        13,
      );
      expect(await handle.result()).toEqual({
        caseReference: REF,
        closedOn: '2027-01-07',
        reason: 'no-further-action-after-assessment',
        runs: 1,
      });
      const sent = world.mailer.sent.length;
      await advanceTo(env(), '2027-03-01', 12);
      expect(world.mailer.sent.length).toBe(sent);
      const attributes = await searchAttributesOf(handle);
      expect(attributes).toMatchObject({ CpflowCaseOpen: false, CpflowStage: 'closed' });
      // An empty keyword list is stored as no value.
      expect(attributes.CpflowOpenStepDues ?? []).toEqual([]);
      expect(attributes.CpflowNextStep).toBeUndefined();
      expect(attributes.CpflowEarliestDue).toBeUndefined();
    });
  }, 120_000);
});

describe('overdue in search attributes', () => {
  it('lists a step as overdue from the start of the day after its due date, without waking the case at midnight', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await advanceTo(env(), '2027-01-05', 23);
      const evening = await searchAttributesOf(handle);
      expect(overdueOn(evening, '2027-01-05')).toEqual([]);
      expect(await handle.query(overdueStepsQuery, '2027-01-05')).toEqual([]);
      await advanceTo(env(), '2027-01-06', 0);
      await env().sleep(1000);
      const attributes = await searchAttributesOf(handle);
      // Nothing was published at midnight: the due dates read on the 6th list the steps due on the 5th.
      expect(attributes).toEqual(evening);
      expect(overdueOn(attributes, '2027-01-06')).toEqual([
        'referral-decision@2027-01-05',
        's47-enquiry@2027-01-05',
        'strategy-discussion@2027-01-05',
      ]);
      expect(attributes.CpflowEarliestDue).toBe('2027-01-05');
      expect(attributes).toMatchObject({
        CpflowStage: 'referral',
        CpflowCaseOpen: true,
        CpflowNextStep: 'referral-decision',
        CpflowNextDue: '2027-01-05',
      });
      // A reader passing its date gets the statuses of that day from a case that has not woken since.
      expect((await handle.query(overdueStepsQuery, '2027-01-06')).map((s) => s.id)).toEqual([
        'referral-decision',
        's47-enquiry',
        'strategy-discussion',
      ]);
      expect((await handle.query(overdueStepsQuery)).map((s) => s.id)).toEqual([]);
      await expect(handle.query(overdueStepsQuery, '6 January')).rejects.toThrow(/asOf: must be a date YYYY-MM-DD/);
      expect(await workflowTaskTimes(handle, '2027-01-05T23:00:00Z', '2027-01-06T08:59:59Z')).toEqual([]);
    });
  }, 120_000);
});

describe('risk factors and written agreement (§2.9–2.11)', () => {
  it('flags a missing §2.10 decision and reminds the written agreement review by its date', async () => {
    const world = outsideWorld();
    // No conference presumed (§2.16) and none convened: no meeting comes before the review date.
    const noContact = referral('2027-01-04', {
      allegedPerson: {
        livesWithChildren: false,
        regularContactWithChildren: false,
        worksOrVolunteersWithChildren: false,
        holdsPositionOfTrust: false,
      },
    });
    await withCase(env(), world, caseInput(noContact), async (handle) => {
      await recordOn(env(), handle, sd('2027-01-04', { riskFactors: ['images-of-own-children'] }));
      const log = await handle.query(caseLogQuery);
      expect(log.filter((e) => e.kind === 'rule-finding').map((e) => e.detail)).toContainEqual(
        expect.stringContaining('§2.10'),
      );
      await recordOn(
        env(),
        handle,
        ev('2027-01-05', { type: 'written-agreement', reviewBy: '2027-02-01', terms: ['supervised-contact'] }),
      );
      await advanceTo(env(), '2027-02-02', 12);
      const review = deliveredIds(world).filter((m) => m.includes('/written-agreement-review/'));
      expect(review).toEqual([
        `2027-01-28 ${REF}/written-agreement-review/reminder/2027-02-01/practitioner:sw-0042@2027-01-28`,
        `2027-02-01 ${REF}/written-agreement-review/due-today/2027-02-01/practitioner:sw-0042@2027-02-01`,
        `2027-02-02 ${REF}/written-agreement-review/overdue-escalation/2027-02-01/team-manager:team-north@2027-02-02`,
      ]);
      await recordOn(
        env(),
        handle,
        ev('2027-02-02', { type: 'written-agreement', reviewBy: '2027-03-01', terms: ['supervised-contact'] }),
        13,
      );
      const steps = (await handle.query(timelineQuery)).steps.filter((s) => s.id === 'written-agreement-review');
      expect(steps).toMatchObject([{ status: 'due', dueDate: '2027-03-01' }]);
    });
  }, 120_000);
});

describe('late serious forensic results', () => {
  it('reopens the strategy discussion within 1 working day, notifies at once and ends the examination', async () => {
    const world = outsideWorld();
    const ref = referral('2027-01-04', { police: { devicesSeized: { count: 1, seizedOn: '2027-01-04' } } });
    await withCase(env(), world, caseInput(ref), async (handle) => {
      await recordOn(env(), handle, sd('2027-01-04'));
      await recordOn(
        env(),
        handle,
        ev('2027-03-10', { type: 'forensic-results', findings: ['images-of-household-children'] }),
      );
      await advanceTo(env(), '2027-03-12', 12);
      const mails = deliveredIds(world).filter((m) => m.includes('/forensic-strategy-discussion/'));
      expect(mails).toEqual([
        `2027-03-10 ${REF}/forensic-strategy-discussion/reminder/2027-03-11/practitioner:sw-0042@opened-2027-03-10`,
        `2027-03-11 ${REF}/forensic-strategy-discussion/due-today/2027-03-11/practitioner:sw-0042@2027-03-11`,
        `2027-03-12 ${REF}/forensic-strategy-discussion/overdue-escalation/2027-03-11/team-manager:team-north@2027-03-12`,
      ]);
      // Police updates stop with the results; the wait itself ends with the police's decision.
      expect(deliveredIds(world).filter((m) => m.includes('/police-update') && m >= '2027-03-11')).toEqual([]);
      await recordOn(env(), handle, ev('2027-03-12', { type: 'police-outcome', outcome: 'charged' }));
      const wait = (await env().client.workflow.getHandle(forensicWorkflowId(REF)).result()) as ForensicWaitResult;
      expect(wait).toEqual({ endedBy: 'charged', endedOn: '2027-03-12', serious: true, runs: 1 });
      const log = await handle.query(caseLogQuery);
      expect(
        log.some((e) => e.kind === 'forensic' && e.detail.includes('new strategy discussion due 2027-03-11')),
      ).toBe(true);
    });
  }, 120_000);
});

describe('ICPC not required (§2.16)', () => {
  it('records the reason, drops the plan steps and moves the case to closure', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await recordOn(env(), handle, sd('2027-01-04'));
      await recordOn(env(), handle, ev('2027-01-05', { type: 'partner-interview' }));
      await recordOn(env(), handle, ev('2027-01-07', { type: 'alleged-perpetrator-interview', interviewers: 2 }));
      const receipt = await handle.executeUpdate(recordEventUpdate, {
        args: [ev('2027-01-07', { type: 'icpc-not-required', reason: 'concerns-not-substantiated' })],
      });
      expect(receipt.stage).toBe('closure');
      const timeline = await handle.query(timelineQuery);
      for (const id of ['visit-1', 'first-core-group', 'first-rcpc']) {
        expect(timeline.steps.find((s) => s.id === id)).toMatchObject({
          status: 'not-required',
          notRequiredReason: 'no-child-protection-plan',
        });
      }
      expect(timeline.steps.find((s) => s.id === 'icpc')).toMatchObject({
        status: 'not-required',
        notRequiredReason: 'concerns-not-substantiated',
      });
      await expect.poll(() => searchAttributesOf(handle)).toMatchObject({ CpflowStage: 'closure' });
      // No ICPC reminder or escalation once it is not required.
      await advanceTo(env(), '2027-02-01', 12);
      expect(deliveredIds(world).filter((m) => m.includes('/icpc/') && m >= '2027-01-08')).toEqual([]);
      expect((await handle.query(auditTrailQuery)).at(-1)?.event).toMatchObject({
        type: 'icpc-not-required',
        reason: 'concerns-not-substantiated',
      });
    });
  }, 120_000);
});

describe('newly announced holidays', () => {
  it('moves only the deadlines still to come', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await recordOn(env(), handle, ev('2027-01-06', { type: 'referral-decision', decision: 'section-47-enquiry' }));
      const before = await handle.query(timelineQuery);
      expect(before.steps.find((s) => s.id === 'strategy-discussion')).toMatchObject({
        status: 'overdue',
        dueDate: '2027-01-05',
      });
      const receipt = await handle.executeUpdate(applyHolidaysUpdate, {
        args: [
          {
            holidays: [
              { date: '2027-01-05' as IsoDate, name: 'Announced holiday', source: 'announced' },
              { date: '2027-02-01' as IsoDate, name: 'Announced holiday', source: 'announced' },
            ],
            appliedBy: 'tm-0007',
          },
        ],
      });
      const after = await handle.query(timelineQuery);
      // Passed deadlines keep their dates (5 Jan is now a holiday, yet the strategy discussion stays due on it);
      // the assessment (45 working days from 4 Jan, due 8 March) moves by the two new holidays.
      expect(after.steps.find((s) => s.id === 'strategy-discussion')?.dueDate).toBe('2027-01-05');
      expect(receipt.changedDueDates).toContainEqual({
        stepId: 'assessment-complete',
        from: '2027-03-08',
        to: '2027-03-10',
      });
      expect(receipt.changedDueDates.every((c) => c.from >= '2027-01-06')).toBe(true);
      expect((await handle.query(auditTrailQuery)).at(-1)).toMatchObject({
        command: 'applyHolidays',
        recordedBy: 'tm-0007',
      });
    });
  }, 120_000);
});
