/** Public API of notification email content (pure; see notification-email.ts). */
export { InvalidNotificationError } from './errors';
export {
  formatDueDate,
  NOTIFICATION_KINDS,
  type NotificationEmail,
  type NotificationEmailInput,
  NotificationEmailInputSchema,
  type NotificationKind,
  RECIPIENT_ROLES,
  type RecipientRole,
  renderNotificationEmail,
} from './notification-email';
export {
  InvalidRecipientRefError,
  type ParsedRecipient,
  parseRecipientRef,
  practitionerRecipient,
  type RecipientRef,
  roleOfRecipient,
  teamManagerRecipient,
} from './recipient';
export { notificationIdFor, type NotificationIdParts } from './notification-id';
