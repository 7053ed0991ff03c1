/**
 * cpflow's activities, composed from one file per concern. Add a concern by writing its
 * `create…Activities(deps)` factory next to this file and spreading it in below.
 */
import { createHolidayActivities, type HolidayActivities, type HolidayActivityDeps } from './load-holidays';
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

export { type HolidayActivities, type LoadHolidayYearsInput } from './load-holidays';

/** Everything the activities need from the outside world. */
export type ActivityDeps = NotificationActivityDeps & HolidayActivityDeps;

/** Every cpflow activity; workflows use `proxyActivities<CpflowActivities>()`. */
export type CpflowActivities = NotificationActivities & HolidayActivities;

/** Creates every cpflow activity over the given dependencies. */
export function createActivities(deps: ActivityDeps): CpflowActivities {
  return {
    ...createNotificationActivities(deps),
    ...createHolidayActivities(deps),
  };
}
