/**
 * Publishing what the case process decides the case shows managers (domain `CaseSearchValues`) as Temporal
 * search attributes, only when a value changed.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CaseSearchValues } from '../../domain/case-process';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_NEXT_DUE,
  CPFLOW_NEXT_STEP,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_STAGE,
  CPFLOW_TEAM,
  CPFLOW_TIMELINESS,
} from '../search-attributes';

/** Start of a due date as a UTC instant (the search attributes' Datetime convention). */
function dueInstant(date: string | null): Date | null {
  return date === null ? null : new Date(`${date}T00:00:00.000Z`);
}

/** The search attribute values for the case's published values (`null` removes an attribute). */
export function caseSearchAttributes(values: CaseSearchValues): SearchAttributeUpdatePair[] {
  return [
    { key: CPFLOW_STAGE, value: values.stage },
    { key: CPFLOW_TEAM, value: values.teamId },
    { key: CPFLOW_ASSIGNEE, value: values.assignee },
    { key: CPFLOW_NEXT_STEP, value: values.nextStep },
    { key: CPFLOW_NEXT_DUE, value: dueInstant(values.nextDue) },
    { key: CPFLOW_CASE_OPEN, value: values.open },
    { key: CPFLOW_OPEN_STEP_DUES, value: [...values.openStepDues] },
    { key: CPFLOW_EARLIEST_DUE, value: dueInstant(values.earliestDue) },
    { key: CPFLOW_TIMELINESS, value: [...values.timeliness] },
  ];
}

/** Upserts a case's search attributes whenever its published values change. */
export class SearchAttributePublisher {
  #last = '';

  /** Upserts `values` through `upsert` unless they equal the last published. */
  publish(values: CaseSearchValues, upsert: (pairs: SearchAttributeUpdatePair[]) => void): void {
    const key = JSON.stringify(values);
    if (key === this.#last) return;
    upsert(caseSearchAttributes(values));
    this.#last = key;
  }
}
