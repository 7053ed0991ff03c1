/**
 * Emails are sent outside the case's workflow task: while a mail server takes its time over a delivery, the case
 * goes on answering its updates and queries.
 */
import { describe, expect, it } from 'vitest';
import { caseStatusQuery, recordEventUpdate } from '../../workflows/case/messages';
import { advanceTo, caseInput, createCaseTestEnvironment, ev, outsideWorld, referral, withCase } from './support';
import { useTestEnvironment } from '../support/test-environment';

const env = useTestEnvironment({ create: createCaseTestEnvironment, perTest: true });

describe('a slow mail server', () => {
  it('does not hold the case: an update and a query are answered while an email is still being delivered', async () => {
    const world = outsideWorld();
    let answer!: () => void;
    // The mail server answers only when the test says so — after the case has answered.
    world.mailer.gate = new Promise<void>((resolve) => (answer = resolve));
    await withCase(env(), world, caseInput(referral('2027-01-04')), async (handle) => {
      // The allocation email to the practitioner is under way from the start. (Virtual time stands still while
      // an activity runs, so the test does not move the clock until the mail server has answered.)
      const deadline = Date.now() + 30_000;
      while ((await handle.describe()).raw.pendingActivities?.length !== 1 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await handle.describe()).raw.pendingActivities?.[0]?.activityType?.name).toBe('sendNotifications');
      const receipt = await handle.executeUpdate(recordEventUpdate, {
        args: [ev('2027-01-04', { type: 'referral-decision', decision: 'section-47-enquiry' })],
      });
      expect(receipt).toBeDefined();
      expect((await handle.query(caseStatusQuery)).caseReference).toBe('CP-2027-000001');
      expect(world.mailer.sent).toEqual([]);
      answer();
      await advanceTo(env(), '2027-01-04', 10);
      expect(world.mailer.sent.map((m) => m.kind)).toContain('allocation');
    });
  }, 120_000);
});
