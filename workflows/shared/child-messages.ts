/**
 * Signals a case sends to its child workflows (LADO referral, forensic wait): the events recorded on the case
 * that concern the child, and calendar changes. Node-free.
 */
import { defineSignal, getExternalWorkflowHandle } from '@temporalio/workflow';
import type { CalendarData } from '../../domain/calendar';
import type { CaseEvent } from '../../domain/case';
import type { Timeline } from '../../domain/planner';
import { childReportSignal, type ChildReport } from '../case/messages';

/** An event recorded on the case, forwarded to a child. */
export const caseEventSignal = defineSignal<[CaseEvent]>('caseEvent');

/** The whole list of the events a child follows, after one of them was corrected on the case. */
export const caseEventsSignal = defineSignal<[CaseEvent[]]>('caseEvents');

/** The case's calendar after `applyHolidays`, with the due dates already passed then (planner's `previous`). */
export interface CalendarChange {
  readonly calendar: CalendarData;
  readonly frozen?: Timeline;
}

/** The case's calendar changed (newly announced holidays). */
export const calendarChangedSignal = defineSignal<[CalendarChange]>('calendarChanged');

/**
 * Signals the case a child's report. Signalling a running workflow cannot fail, so a failure means the case has
 * completed (closed, or ended by an operator): there is nobody left to tell, and the child carries on to its end.
 */
export async function reportToCase(caseWorkflowId: string, report: ChildReport): Promise<void> {
  try {
    await getExternalWorkflowHandle(caseWorkflowId).signal(childReportSignal, report);
  } catch {
    // The case is gone (ExternalWorkflowExecutionNotFound).
  }
}
