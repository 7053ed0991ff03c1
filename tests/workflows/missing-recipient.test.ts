/**
 * A recipient missing from the staff directory: the case shows the email it could not deliver, logs it, tells the
 * team manager, and sends it once the directory is fixed — nothing silent, nothing lost.
 */
import { describe, expect, it } from 'vitest';
import { caseLogQuery, caseStatusQuery } from '../../workflows/case/messages';
import {
  advanceTo,
  caseInput,
  createCaseTestEnvironment,
  deliveredIds,
  outsideWorld,
  referral,
  withCase,
} from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment, perTest: true });
const REF = 'CP-2027-000001';

describe('a recipient missing from the staff directory', () => {
  it('is shown on the case, logged, escalated to the team manager, and sent to once the directory is fixed', async () => {
    const world = outsideWorld();
    world.directory.missing.add('practitioner:sw-0042');
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      await advanceTo(env(), '2027-01-04', 10);
      const status = await handle.query(caseStatusQuery);
      expect(status.undelivered.map((u) => [u.kind, u.recipient, u.retryOn])).toContainEqual([
        'allocation',
        'practitioner:sw-0042',
        '2027-01-05',
      ]);
      expect(status.undelivered[0].failure).toMatch(/^UnknownRecipient: /);
      const log = await handle.query(caseLogQuery);
      expect(
        log.some((l) => l.kind === 'notification-failed' && l.detail.startsWith('allocation to practitioner:sw-0042')),
      ).toBe(true);
      expect(deliveredIds(world).filter((l) => l.includes('/delivery-failed/') && l.includes('/allocation/'))).toEqual([
        expect.stringMatching(/^2027-01-04 .*\/team-manager:team-north@undelivered:/),
      ]);
      expect(deliveredIds(world).filter((l) => l.includes('/allocation/practitioner'))).toEqual([]);

      world.directory.missing.clear();
      await advanceTo(env(), '2027-01-05', 10);
      expect(
        deliveredIds(world).filter((l) => l.startsWith(`2027-01-05 ${REF}/`) && l.includes('/allocation/')),
      ).toEqual([expect.stringMatching(/practitioner:sw-0042@/)]);
      expect((await handle.query(caseStatusQuery)).undelivered).toEqual([]);
    });
  }, 120_000);
});
