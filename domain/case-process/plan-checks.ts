/**
 * Checks an event against the case's plan as it stands today — the checks that need the timeline and the case's
 * calendar, beside the event-only checks of `checkEventAgainstCase`: extensions move a dated, open step to a
 * later working day and are agreed by someone other than the person recording them; a step is marked not
 * required once; an ICPC is held on a working day.
 */
import { type IsoDate, weekdayOf, type WorkingDayCalendar } from '../calendar';
import type { CaseEvent } from '../case';
import type { Timeline } from '../planner';
import type { Refusal } from '../rules';

/** Every reason `event` conflicts with the case's plan on `today` (empty when it does not). Pure. */
export function checkEventAgainstPlan(event: CaseEvent, timeline: Timeline, calendar: WorkingDayCalendar): Refusal[] {
  const refusals: Refusal[] = [];
  const refuse = (code: string, field: string, section: string, rule: string) =>
    refusals.push({ code, field, rule, section });
  switch (event.type) {
    case 'extension-requested':
    case 'deadline-extended': {
      if (event.type === 'deadline-extended' && event.agreedBy === (event.requestedBy ?? event.recordedBy)) {
        refuse(
          'agreed-by-requester',
          'agreedBy',
          'deadline extension',
          'must be a manager other than the person asking for the extension',
        );
      }
      if (!calendar.isWorkingDay(event.newDueDate)) {
        refuse('not-a-working-day', 'newDueDate', 'deadline extension', 'must be a working day');
      }
      const step = timeline.steps.find((s) => s.id === event.stepId);
      if (step === undefined) break; // unknown or not yet planned: refused by the event checks
      if (step.status === 'waiting') {
        refuse(
          'no-due-date-yet',
          'stepId',
          'deadline extension',
          `the step has no due date yet (it waits for ${step.waitsFor ?? 'an event not yet recorded'})`,
        );
      } else if (step.status === 'done' || step.status === 'not-required') {
        refuse('step-closed', 'stepId', 'deadline extension', `the step is already ${step.status}`);
      } else if (step.dueDate !== undefined && event.newDueDate <= step.dueDate) {
        refuse('not-later-than-due', 'newDueDate', 'deadline extension', 'must be later than the current due date');
      }
      break;
    }
    case 'step-not-required': {
      const step = timeline.steps.find((s) => s.id === event.stepId);
      if (step?.status === 'not-required') {
        refuse('already-not-required', 'stepId', 'step not required', 'the step is already marked not required');
      } else if (step?.status === 'done') {
        refuse('step-done', 'stepId', 'step not required', 'the step is already done');
      }
      break;
    }
    case 'icpc-booked':
      if (!calendar.isWorkingDay(event.conferenceOn)) {
        refuse('not-a-working-day', 'conferenceOn', '§2.16', 'an ICPC must be booked for a working day');
      }
      break;
    case 'icpc':
      if (isHoliday(calendar, event.occurredOn)) {
        refuse('icpc-on-holiday', 'occurredOn', '§2.16', 'an ICPC cannot be held on a bank holiday');
      }
      break;
    default:
      break;
  }
  return refusals;
}

/** A weekday that is not a working day: a bank holiday. */
function isHoliday(calendar: WorkingDayCalendar, date: IsoDate): boolean {
  return weekdayOf(date) <= 5 && !calendar.isWorkingDay(date);
}
