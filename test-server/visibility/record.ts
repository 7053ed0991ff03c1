import type { SearchAttributeValues } from './search-attribute-type';

/** Execution status names as the List Filter spells them (`ExecutionStatus = 'Running'`). */
export const EXECUTION_STATUS_NAMES = [
  'Running',
  'Completed',
  'Failed',
  'Canceled',
  'Terminated',
  'ContinuedAsNew',
  'TimedOut',
] as const;

/** A workflow execution status name. */
export type ExecutionStatusName = (typeof EXECUTION_STATUS_NAMES)[number];

/** `temporal.api.enums.v1.WorkflowExecutionStatus` numbers (Unspecified = 0). */
const EXECUTION_STATUS_NUMBER: Record<ExecutionStatusName, number> = {
  Running: 1,
  Completed: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  ContinuedAsNew: 6,
  TimedOut: 7,
};

/** The `WorkflowExecutionStatus` enum number of a status name. */
export function executionStatusNumber(status: ExecutionStatusName): number {
  return EXECUTION_STATUS_NUMBER[status];
}

/** The status name of a `WorkflowExecutionStatus` enum number, or undefined (including 0 = Unspecified). */
export function executionStatusFromNumber(value: number): ExecutionStatusName | undefined {
  return EXECUTION_STATUS_NAMES.find((name) => EXECUTION_STATUS_NUMBER[name] === value);
}

/**
 * What the visibility store knows about one workflow execution (one run). Times are epoch milliseconds.
 * `searchAttributes` holds custom and predefined attributes as decoded by `decodeSearchAttributes`.
 * The optional fields feed the matching system attributes; when absent those attributes are NULL.
 */
export interface VisibilityRecord {
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  status: ExecutionStatusName;
  startTime: number;
  executionTime: number;
  closeTime?: number;
  searchAttributes: SearchAttributeValues;
  historyLength?: number;
  historySizeBytes?: number;
  stateTransitionCount?: number;
  parentWorkflowId?: string;
  parentRunId?: string;
  rootWorkflowId?: string;
  rootRunId?: string;
}
