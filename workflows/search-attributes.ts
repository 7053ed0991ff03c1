/**
 * Typed search attributes of a case workflow: what managers filter and sort cases by in Temporal's
 * visibility (the CLI's lists, the Temporal UI). Imported by workflow code, so no Node built-ins here.
 *
 * Children's data rule: every value is pseudonymous or procedural — a stage name, a team id, a staff id,
 * step ids and dates. Never a name, address, date of birth or anything about the allegation.
 *
 * | key                      | type         | holds                                                        |
 * | ------------------------ | ------------ | ------------------------------------------------------------ |
 * | `CpflowStage`            | Keyword      | current procedure stage id, e.g. `strategy-discussion`       |
 * | `CpflowTeam`             | Keyword      | owning team id, e.g. `team-north`                            |
 * | `CpflowAssignee`         | Keyword      | assigned practitioner's staff id, e.g. `sw-0042`             |
 * | `CpflowNextStep`         | Keyword      | id of the open step due soonest                              |
 * | `CpflowNextDue`          | Datetime     | due date of that step (start of day, UTC)                    |
 * | `CpflowOverdueSteps`     | KeywordList  | ids of the open steps past their due date                    |
 * | `CpflowOldestOverdueDue` | Datetime     | due date of the most overdue open step ("most overdue first")|
 * | `CpflowCaseOpen`         | Bool         | true until the case is closed                                |
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Current procedure stage id of the case. */
export const CPFLOW_STAGE = defineSearchAttributeKey('CpflowStage', SearchAttributeType.KEYWORD);
/** Id of the team that owns the case. */
export const CPFLOW_TEAM = defineSearchAttributeKey('CpflowTeam', SearchAttributeType.KEYWORD);
/** Staff id of the assigned practitioner (never a name). */
export const CPFLOW_ASSIGNEE = defineSearchAttributeKey('CpflowAssignee', SearchAttributeType.KEYWORD);
/** Id of the open step that is due soonest. */
export const CPFLOW_NEXT_STEP = defineSearchAttributeKey('CpflowNextStep', SearchAttributeType.KEYWORD);
/** Due date of the open step that is due soonest. */
export const CPFLOW_NEXT_DUE = defineSearchAttributeKey('CpflowNextDue', SearchAttributeType.DATETIME);
/** Ids of the open steps that are past their due date. */
export const CPFLOW_OVERDUE_STEPS = defineSearchAttributeKey('CpflowOverdueSteps', SearchAttributeType.KEYWORD_LIST);
/** Due date of the most overdue open step; sort ascending for "most overdue first". */
export const CPFLOW_OLDEST_OVERDUE_DUE = defineSearchAttributeKey(
  'CpflowOldestOverdueDue',
  SearchAttributeType.DATETIME,
);
/** True while the case is open; false once it is closed. */
export const CPFLOW_CASE_OPEN = defineSearchAttributeKey('CpflowCaseOpen', SearchAttributeType.BOOL);

/** Every cpflow search attribute key, in the order they are registered with the Temporal namespace. */
export const CPFLOW_SEARCH_ATTRIBUTES = [
  CPFLOW_STAGE,
  CPFLOW_TEAM,
  CPFLOW_ASSIGNEE,
  CPFLOW_NEXT_STEP,
  CPFLOW_NEXT_DUE,
  CPFLOW_OVERDUE_STEPS,
  CPFLOW_OLDEST_OVERDUE_DUE,
  CPFLOW_CASE_OPEN,
] as const;
