/**
 * The shape of a recorded workflow run, as the floor workflow replays it: the instants it woke on a timer or ran
 * a local activity, how many local activities ran at each, and how many updates it accepted.
 */
import type { History } from '@temporalio/common/lib/proto-utils';

/** One wake-up of the floor workflow: an instant (epoch ms) and the local activities run then. */
export interface FloorWake {
  readonly at: number;
  readonly localActivities: number;
}

/** What the floor workflow does. */
export interface FloorPlan {
  readonly wakes: readonly FloorWake[];
  readonly updates: number;
}

function eventMs(event: NonNullable<History['events']>[number]): number {
  const time = event.eventTime;
  return Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
}

/** The floor plan of one run's history: its fired timers and local-activity markers, by instant. */
export function floorPlanOf(history: History): FloorPlan {
  const byInstant = new Map<number, number>();
  let updates = 0;
  for (const event of history.events ?? []) {
    if (event.timerFiredEventAttributes) byInstant.set(eventMs(event), byInstant.get(eventMs(event)) ?? 0);
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      byInstant.set(eventMs(event), (byInstant.get(eventMs(event)) ?? 0) + 1);
    }
    if (event.workflowExecutionUpdateAcceptedEventAttributes) updates += 1;
  }
  const wakes = [...byInstant].sort(([a], [b]) => a - b).map(([at, localActivities]) => ({ at, localActivities }));
  return { wakes, updates };
}

/** Totals of a plan, for the report. */
export function describePlan(plan: FloorPlan): string {
  const activities = plan.wakes.reduce((sum, w) => sum + w.localActivities, 0);
  return `${plan.wakes.length} wake-ups, ${activities} local activities, ${plan.updates} updates`;
}
