/** Public API of notification email content (pure; see notification-email.ts). */
export { InvalidNotificationError } from './errors';
export {
  CASE_REFERENCE_PATTERN,
  formatDueDate,
  NOTIFICATION_KINDS,
  type NotificationEmail,
  type NotificationEmailInput,
  NotificationEmailInputSchema,
  type NotificationKind,
  RECIPIENT_ROLES,
  type RecipientRole,
  renderNotificationEmail,
  STEP_ID_PATTERN,
} from './notification-email';
export {
  InvalidRecipientRefError,
  type ParsedRecipient,
  parseRecipientRef,
  practitionerRecipient,
  type RecipientRef,
  roleOfRecipient,
  STAFF_ID_PATTERN,
  teamManagerRecipient,
} from './recipient';
export { notificationIdFor, type NotificationIdParts } from './notification-id';
