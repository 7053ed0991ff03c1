/**
 * The workflows check their own boundary: Temporal lets any client of the namespace start any workflow type and
 * signal any workflow, so a case refuses state it did not carry itself, a child refuses to run unless its case
 * started it, and messages between a case and its children count only over the case's channel.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { caseLogQuery, CASE_OPENING_REFUSED, childReportSignal, ladoWorkflowId } from '../../workflows/case/messages';
import { caseMessageSignal } from '../../workflows/shared/child-messages';
import { NOT_STARTED_BY_CASE } from '../../workflows/shared/child-guard';
import { ladoStatusQuery } from '../../workflows/lado/messages';
import {
  advanceTo,
  calendarData,
  caseInput,
  channelOf,
  createCaseTestEnvironment,
  createCaseWorker,
  deliveredIds,
  ev,
  outsideWorld,
  policy,
  referral,
  withCase,
} from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment, perTest: true });

const REF = 'CP-2027-000001';
const worksWithChildren = {
  allegedPerson: {
    livesWithChildren: true,
    regularContactWithChildren: false,
    worksOrVolunteersWithChildren: true,
    holdsPositionOfTrust: false,
  },
};

/** Starts a workflow directly, as any client could, and returns how it failed. */
async function failureOfDirectStart(workflowType: string, workflowId: string, input: unknown) {
  const world = outsideWorld();
  const taskQueue = `tq-${Math.random().toString(36).slice(2)}`;
  const worker = await createCaseWorker(env(), taskQueue, world);
  const failure = await worker.runUntil(async () => {
    await advanceTo(env(), '2027-01-04', 8);
    const handle = await env().client.workflow.start(workflowType, { taskQueue, workflowId, args: [input] });
    return handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
  });
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(world.mailer.sent).toEqual([]);
  return (failure as WorkflowFailedError).cause as ApplicationFailure;
}

describe('what only a case may start', () => {
  it('a forensic wait started by a client, not by its case, fails before sending anything', async () => {
    const ref = referral('2027-01-04', { police: { devicesSeized: { count: 1, seizedOn: '2027-01-04' } } });
    const cause = await failureOfDirectStart('forensicWaitWorkflow', `${REF}-forensic`, {
      referral: ref,
      policy,
      calendar: calendarData,
      events: [],
      channel: '2b1f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    });
    expect(cause.type).toBe(NOT_STARTED_BY_CASE);
    expect(cause.message).toBe('forensicWaitWorkflow runs only as the child its case starts');
  }, 120_000);

  it('a LADO referral started by a client fails before emailing the LADO', async () => {
    const cause = await failureOfDirectStart('ladoWorkflow', ladoWorkflowId(REF), { caseReference: REF });
    expect(cause.type).toBe(NOT_STARTED_BY_CASE);
  }, 120_000);

  it('a case started with carried state (only continue-as-new may carry it) is refused, naming the field', async () => {
    const input = { ...caseInput(referral('2027-01-04')), carried: { stage: 'closed' }, channel: 'x' };
    const cause = await failureOfDirectStart('caseWorkflow', REF, input);
    expect(cause.type).toBe(CASE_OPENING_REFUSED);
    expect(cause.message).toContain('carried');
  }, 120_000);

  it('a case asking to continue as new every few events is refused: its limits are bounded', async () => {
    const cause = await failureOfDirectStart(
      'caseWorkflow',
      REF,
      caseInput(referral('2027-01-04'), { historyLength: 1 }),
    );
    expect(cause.type).toBe(CASE_OPENING_REFUSED);
    expect(cause.message).toContain('limits.historyLength: must be at least 100');
  }, 120_000);
});

describe('messages over the case channel only', () => {
  it('a forged "case closed" to the LADO referral is dropped: the chases still go out', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04', worksWithChildren)), async () => {
      await advanceTo(env(), '2027-01-04', 9);
      const lado = env().client.workflow.getHandle(ladoWorkflowId(REF));
      const closed = ev('2027-01-04', { type: 'case-closed', reason: 'transferred-to-another-local-authority' });
      // Without the key, with a wrong key, and with the right key in a shape no case sends.
      await lado.signal(caseMessageSignal, { message: { kind: 'event', event: closed } } as never);
      await lado.signal(caseMessageSignal, {
        channel: '2b1f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        message: { kind: 'event', event: closed },
      });
      const channel = await channelOf(lado);
      await lado.signal(caseMessageSignal, {
        channel,
        message: { kind: 'event', event: { ...closed, note: 'free text' } },
      } as never);
      await advanceTo(env(), '2027-01-08', 10);
      expect((await lado.describe()).status.name).toBe('RUNNING');
      expect((await lado.query(ladoStatusQuery)).chasesSent).toBe(2);
      expect(deliveredIds(world).filter((l) => l.includes('/lado-acknowledgement/overdue/'))).toHaveLength(2);
    });
  }, 120_000);

  it('a forged child report is dropped: nothing reaches the case log', async () => {
    await withCase(env(), outsideWorld(), caseInput(referral('2027-01-04', worksWithChildren)), async (handle) => {
      await advanceTo(env(), '2027-01-04', 9);
      const before = await handle.query(caseLogQuery);
      const report = { from: 'lado', at: '2027-01-04T10:00:00.000Z', kind: 'lado', detail: 'free text' };
      await handle.signal(childReportSignal, { channel: 'not-the-key', report } as never);
      await handle.signal(childReportSignal, { report } as never);
      // The right key still needs the shape a child sends: no control characters, bounded.
      const channel = await channelOf(env().client.workflow.getHandle(ladoWorkflowId(REF)));
      await handle.signal(childReportSignal, { channel, report: { ...report, detail: 'x'.repeat(501) } } as never);
      await handle.signal(childReportSignal, { channel, report: { ...report, detail: 'line\nbreak' } } as never);
      await advanceTo(env(), '2027-01-04', 11);
      expect(await handle.query(caseLogQuery)).toEqual(before);
    });
  }, 120_000);
});
