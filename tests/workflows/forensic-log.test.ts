/**
 * The forensic wait keeps the outcome of each reminder it sends in its own log, instead of signalling each to the
 * case — one workflow task of the case less per email — and the case log as people read it (`readCaseLog`)
 * merges both by time. Its end and the case's: a closing case waits for the wait to end; a wait whose case has
 * gone still ends normally.
 */
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { mergeCaseLogs, readCaseLog } from '../../cli/cases/case-client';
import {
  auditTrailQuery,
  caseLogQuery,
  type CaseLogEntry,
  correctEventUpdate,
  forensicWorkflowId,
  recordEventUpdate,
} from '../../workflows/case/messages';
import { caseMessageSignal } from '../../workflows/shared/child-messages';
import { forensicLogQuery, type ForensicWaitResult } from '../../workflows/forensic/messages';
import {
  advanceTo,
  caseInput,
  createCaseTestEnvironment,
  deliveredIds,
  ev,
  outsideWorld,
  channelOf,
  referral,
  withCase,
} from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment, perTest: true });

const REF = 'CP-2027-000001';

describe('forensic wait log', () => {
  it('keeps each police-update reminder in the child, signals nothing per email, and the case log reads both', async () => {
    const world = outsideWorld();
    const ref = referral('2027-01-04', {
      police: { devicesSeized: { count: 2, seizedOn: '2027-01-04' }, preChargeBailGrantedOn: '2027-01-04' },
    });
    await withCase(env(), world, caseInput(ref), async (handle) => {
      // Police update due every 4 weeks from seizure: reminder on 28 Jan, due-today on 1 Feb.
      await advanceTo(env(), '2027-02-01', 12);
      expect(deliveredIds(world)).toContain(
        `2027-01-28 ${REF}/police-update-1/reminder/2027-02-01/practitioner:sw-0042@2027-01-28`,
      );

      const child = await env().client.workflow.getHandle(forensicWorkflowId(REF)).query(forensicLogQuery);
      expect(child.map((l) => `${l.at.slice(0, 10)} ${l.kind} ${l.stepId} ${l.detail}`)).toEqual([
        '2027-01-28 reminder police-update-1 forensic: reminder to practitioner:sw-0042 (due 2027-02-01) sent',
        '2027-02-01 reminder police-update-1 forensic: due-today to practitioner:sw-0042 (due 2027-02-01) sent',
      ]);
      const own = await handle.query(caseLogQuery);
      expect(own.filter((l) => l.detail.startsWith('forensic: '))).toEqual([]);
      const history = await handle.fetchHistory();
      const signals = (history.events ?? []).filter(
        (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      );
      expect(signals).toEqual([]);

      const merged = await readCaseLog(env().client, REF);
      expect(merged).toHaveLength(own.length + child.length);
      expect(merged.map((l) => l.at)).toEqual([...merged.map((l) => l.at)].sort());
      expect(merged).toEqual(expect.arrayContaining(child));
    });
  }, 120_000);
});

describe('the forensic wait and the end of its case', () => {
  const seized = {
    police: { devicesSeized: { count: 2, seizedOn: '2027-01-04' }, preChargeBailGrantedOn: '2027-01-04' },
  };

  it('a closed case goes on following the police, and completes once they have decided', async () => {
    await withCase(env(), outsideWorld(), caseInput(referral('2027-01-04', seized)), async (handle) => {
      await advanceTo(env(), '2027-01-12', 10);
      await handle.executeUpdate(recordEventUpdate, {
        args: [ev('2027-01-12', { type: 'case-closed', reason: 'transferred-to-another-local-authority' })],
      });
      const wait = env().client.workflow.getHandle(forensicWorkflowId(REF));
      expect((await wait.describe()).status.name).toBe('RUNNING');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await advanceTo(env(), '2027-03-01', 10);
      await handle.executeUpdate(recordEventUpdate, {
        args: [ev('2027-03-01', { type: 'police-outcome', outcome: 'no-further-action' })],
      });
      const closed = await handle.result();
      expect(closed).toMatchObject({ caseReference: REF, closedOn: '2027-01-12' });
      expect((await wait.describe()).status.name).toBe('COMPLETED');
      expect((await wait.result()) as ForensicWaitResult).toMatchObject({
        endedBy: 'no-further-action',
        endedOn: '2027-03-01',
      });
    });
  }, 120_000);

  it('follows the police again when their decision is withdrawn on the case: a new run of the same wait', async () => {
    const world = outsideWorld();
    await withCase(env(), world, caseInput(referral('2027-01-04', seized)), async (handle) => {
      await advanceTo(env(), '2027-01-12', 10);
      await handle.executeUpdate(recordEventUpdate, {
        args: [ev('2027-01-12', { type: 'police-outcome', outcome: 'no-further-action' })],
      });
      const wait = env().client.workflow.getHandle(forensicWorkflowId(REF));
      expect((await wait.result()) as ForensicWaitResult).toMatchObject({ endedBy: 'no-further-action' });
      const ended = (await wait.describe()).runId;
      await advanceTo(env(), '2027-01-13', 10);
      const [decision] = (await handle.query(auditTrailQuery)).filter((a) => a.event?.type === 'police-outcome');
      await handle.executeUpdate(correctEventUpdate, {
        args: [{ seq: decision.seq, action: 'withdraw', reason: 'recorded-in-error', recordedBy: 'tm-0007' }],
      });
      await advanceTo(env(), '2027-02-01', 12);
      const again = await wait.describe();
      expect(again.runId).not.toBe(ended);
      expect(again.status.name).toBe('RUNNING');
      // The new run sends the police-update reminders the first run would have: 4 weeks from the seizure.
      expect(deliveredIds(world)).toContain(
        `2027-02-01 ${REF}/police-update-1/due-today/2027-02-01/practitioner:sw-0042@2027-02-01`,
      );
      expect((await handle.query(caseLogQuery)).map((l) => l.detail)).toContain(
        'forensic wait followed again (police investigation followed from 2027-01-04)',
      );
    });
  }, 120_000);

  it('ends normally with the police decision even when the case it reports to has gone', async () => {
    await withCase(env(), outsideWorld(), caseInput(referral('2027-01-04', seized)), async (handle) => {
      await advanceTo(env(), '2027-01-12', 10);
      await handle.terminate('test: the case ended by an operator');
      const wait = env().client.workflow.getHandle(forensicWorkflowId(REF));
      // Told as the case would have told it: over the case's channel, whose key is in the wait's input.
      const channel = await channelOf(wait);
      await wait.signal(caseMessageSignal, {
        channel,
        message: { kind: 'event', event: ev('2027-01-12', { type: 'police-outcome', outcome: 'charged' }) },
      });
      expect((await wait.result()) as ForensicWaitResult).toMatchObject({ endedBy: 'charged', serious: false });
    });
  }, 120_000);
});

describe('mergeCaseLogs', () => {
  const line = (at: string, detail: string): CaseLogEntry => ({ at, kind: 'reminder', detail });
  it('merges two chronological logs by time, the case line first on equal times', () => {
    const own = [
      line('2027-01-04T08:00:00.000Z', 'opened'),
      line('2027-01-28T09:00:00.000Z', 'case reminder'),
      line('2027-02-02T09:00:00.000Z', 'later'),
    ];
    const child = [
      line('2027-01-28T09:00:00.000Z', 'forensic: reminder'),
      line('2027-02-01T09:00:00.000Z', 'forensic: due today'),
    ];
    expect(mergeCaseLogs(own, child).map((l) => l.detail)).toEqual([
      'opened',
      'case reminder',
      'forensic: reminder',
      'forensic: due today',
      'later',
    ]);
    expect(mergeCaseLogs(own, [])).toEqual(own);
    expect(mergeCaseLogs([], child)).toEqual(child);
  });
});
