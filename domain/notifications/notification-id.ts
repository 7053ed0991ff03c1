/**
 * Deterministic notification ids. A workflow computes the id of each notification it asks for, so a
 * retried or replayed send is recognised as the same notification and is never delivered twice.
 */
import type { NotificationKind } from './notification-email';
import type { RecipientRef } from './recipient';

/** The facts that identify one notification. */
export interface NotificationIdParts {
  readonly caseReference: string;
  readonly stepId: string;
  readonly kind: NotificationKind;
  readonly dueDate: string;
  readonly recipient: RecipientRef;
}

/** `${caseReference}/${stepId}/${kind}/${dueDate}/${recipient}`: the same facts always give the same id. */
export function notificationIdFor(parts: NotificationIdParts): string {
  return `${parts.caseReference}/${parts.stepId}/${parts.kind}/${parts.dueDate}/${parts.recipient}`;
}
