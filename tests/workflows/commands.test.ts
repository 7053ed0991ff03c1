/**
 * Refused commands: each bad command is refused by the update validator with a `CommandRefused` failure
 * naming the field and the rule, and changes nothing (timeline, audit trail and case log are the same after).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../domain/calendar';
import {
  applyHolidaysUpdate,
  auditTrailQuery,
  caseLogQuery,
  COMMAND_REFUSED,
  recordEventUpdate,
  timelineQuery,
} from '../../workflows/case/messages';
import { caseInput, createCaseTestEnvironment, ev, outsideWorld, recordOn, referral, withCase } from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment });

/** The refusal's type and message, from a failed update. */
async function refusalOf(promise: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return { type: (cause as ApplicationFailure).type ?? undefined, message: (cause as ApplicationFailure).message };
  }
  throw new Error('the command was accepted');
}

describe('refused commands', () => {
  it('names the field and rule and changes nothing', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await recordOn(
        env(),
        handle,
        ev('2027-01-04', { type: 'strategy-discussion', section47: 'initiated', questions: {}, riskFactors: [] }),
      );
      const snapshot = async () => ({
        timeline: await handle.query(timelineQuery),
        audit: await handle.query(auditTrailQuery),
        log: await handle.query(caseLogQuery),
      });
      const before = await snapshot();
      // Each command is sent only when its turn comes (a refusal nobody awaits yet would be an unhandled rejection).
      const cases: { command: () => Promise<unknown>; expected: string[] }[] = [
        // Shape (zod): an unknown type, a missing field, a bad staff id, an unknown field.
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, {
              args: [{ type: 'tea-break', occurredOn: '2027-01-04', recordedBy: 'sw-0042' } as never],
            }),
          expected: ['type: must be a known case event type'],
        },
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, {
              args: [{ type: 'visit', recordedBy: 'sw-0042' } as never],
            }),
          expected: ['occurredOn:'],
        },
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, {
              args: [{ type: 'partner-interview', occurredOn: '2027-01-04', recordedBy: 'Jane Smith' } as never],
            }),
          expected: ['recordedBy: must be a staff id'],
        },
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, {
              args: [
                { type: 'partner-interview', occurredOn: '2027-01-04', recordedBy: 'sw-0042', childName: 'x' } as never,
              ],
            }),
          expected: ['event: has a field that is not part of it'],
        },
        // State (rules): future date, weekend ICPC (census 8875), visit without a plan, §2.17, unknown step.
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, { args: [ev('2027-01-05', { type: 'partner-interview' })] }),
          expected: ['occurredOn: must not be in the future (case lifecycle)'],
        },
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, {
              args: [ev('2027-01-02', { type: 'icpc', outcome: 'no-plan' })],
            }),
          expected: ['occurredOn: an ICPC cannot be held on a weekend (census rule 8875)', 'before the referral'],
        },
        {
          command: () => handle.executeUpdate(recordEventUpdate, { args: [ev('2027-01-04', { type: 'visit' })] }),
          expected: ['occurredOn: a visit needs a child protection plan in force on that date (child protection plan)'],
        },
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, {
              args: [
                ev('2027-01-04', {
                  type: 'deadline-extended',
                  stepId: 'icpc',
                  newDueDate: '2027-06-01',
                  reason: 'awaiting-police-forensic-results',
                  agreedBy: 'tm-0007',
                }),
              ],
            }),
          expected: ['reason: a child-protection deadline must not wait for the police investigation (§2.17)'],
        },
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, {
              args: [
                ev('2027-01-04', {
                  type: 'step-not-required',
                  stepId: 'tea-break',
                  reason: 'other-recorded-in-case-file',
                }),
              ],
            }),
          expected: ['stepId: is not a step of policy pan-bedfordshire (procedure policy)'],
        },
        {
          command: () =>
            handle.executeUpdate(recordEventUpdate, {
              args: [ev('2027-01-04', { type: 'practitioner-reassigned', practitionerId: 'sw-0042' })],
            }),
          expected: ['practitionerId: is already the assigned practitioner (case allocation)'],
        },
        // Holidays: not a date, already a holiday, empty list.
        {
          command: () =>
            handle.executeUpdate(applyHolidaysUpdate, {
              args: [{ holidays: [{ date: '2027-02-30' as IsoDate, name: 'x', source: 'announced' }] }],
            }),
          expected: ['holidays[0].date'],
        },
        {
          command: () =>
            handle.executeUpdate(applyHolidaysUpdate, {
              args: [{ holidays: [{ date: '2027-01-01' as IsoDate, name: "New Year's Day", source: 'announced' }] }],
            }),
          expected: ["holidays[0].date: is already a holiday in the case's calendar"],
        },
        {
          command: () => handle.executeUpdate(applyHolidaysUpdate, { args: [{ holidays: [] }] }),
          expected: ['holidays: must list at least one holiday'],
        },
      ];
      for (const { command, expected } of cases) {
        const refusal = await refusalOf(command());
        expect(refusal.type).toBe(COMMAND_REFUSED);
        for (const part of expected) expect(refusal.message).toContain(part);
        // No personal data is echoed back.
        expect(refusal.message).not.toContain('Jane Smith');
      }
      expect(await snapshot()).toEqual(before);
      // A good command still goes through afterwards.
      const receipt = await handle.executeUpdate(recordEventUpdate, {
        args: [ev('2027-01-04', { type: 'partner-interview' })],
      });
      expect(receipt).toMatchObject({ recorded: 'partner-interview', auditSeq: 2, stage: 'section-47-enquiry' });
    });
  }, 180_000);

  it('refuses everything once the case is closed', async () => {
    const world = outsideWorld();
    const ref = referral('2027-01-04', {}, 'CP-2027-000002');
    await withCase(env(), world, caseInput(ref), async (handle) => {
      const closing = ev('2027-01-04', { type: 'case-closed', reason: 'no-further-action-after-assessment' });
      // Closing ends the workflow: an update on a completed workflow is refused by the server.
      await handle.executeUpdate(recordEventUpdate, { args: [closing] });
      await handle.result();
      await expect(
        handle.executeUpdate(recordEventUpdate, { args: [ev('2027-01-04', { type: 'partner-interview' })] }),
      ).rejects.toThrow();
      expect((await handle.query(auditTrailQuery)).map((a) => a.event?.type)).toEqual(['case-closed']);
    });
  }, 120_000);
});
