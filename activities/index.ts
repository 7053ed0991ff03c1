/**
 * cpflow's activities, composed from one file per concern. Add a concern by writing its
 * `create…Activities(deps)` factory next to this file and spreading it in below.
 */
import {
  createNotificationActivities,
  type NotificationActivities,
  type NotificationActivityDeps,
} from './send-notification';

export {
  classifySmtpFailure,
  DEFAULT_CASE_URL,
  type Mailer,
  messageIdFor,
  type NotificationActivities,
  type NotificationActivityDeps,
  type NotificationDelivery,
  type SendNotificationInput,
  type SendNotificationResult,
  type SendNotificationsInput,
  type SendNotificationsResult,
} from './send-notification';

/** Everything the activities need from the outside world. */
export type ActivityDeps = NotificationActivityDeps;

/** Every cpflow activity; workflows use `proxyActivities<CpflowActivities>()`. */
export type CpflowActivities = NotificationActivities;

/** Creates every cpflow activity over the given dependencies. */
export function createActivities(deps: ActivityDeps): CpflowActivities {
  return {
    ...createNotificationActivities(deps),
  };
}
