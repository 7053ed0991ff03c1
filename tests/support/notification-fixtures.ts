/** The staff directory and the notification the notification activity's tests send (pseudonymous, made up). */
import type { SendNotificationInput } from '../../activities';
import { notificationIdFor } from '../../domain/notifications';
import { InMemoryStaffDirectory } from '../../mail/staff-directory';

/** A directory of a practitioner (sw-0123), a team manager (tm-0007, team-north), a leaver and the LADO. */
export const testDirectory = new InMemoryStaffDirectory({
  staff: { 'sw-0123': 'p123@council.example', 'tm-0007': 'm7@council.example', 'sw-0999': 'gone@council.example' },
  teams: { 'team-north': { manager: 'tm-0007' } },
  lado: 'lado@council.example',
});

/** A reminder to sw-0123 about a strategy discussion of CP-2026-000042, with what is overridden, and its id. */
export function testNotification(
  overrides: Partial<Omit<SendNotificationInput, 'notificationId'>> = {},
): SendNotificationInput {
  const facts = {
    caseReference: 'CP-2026-000042',
    stepId: 'strategy-discussion',
    stepTitle: 'Strategy discussion',
    dueDate: '2026-03-03',
    kind: 'reminder',
    recipient: 'practitioner:sw-0123',
    ...overrides,
  } as Omit<SendNotificationInput, 'notificationId'>;
  return { ...facts, notificationId: notificationIdFor(facts) } as SendNotificationInput;
}
