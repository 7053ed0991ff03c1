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
 * | `CpflowOpenStepDues`     | KeywordList  | `stepId@YYYY-MM-DD` of every open step that turns overdue    |
 * |                          |              | once its due date has passed (overdue on day D ⇔ due < D)   |
 * | `CpflowEarliestDue`      | Datetime     | earliest of those due dates ("most overdue first")           |
 * | `CpflowCaseOpen`         | Bool         | true until the case is closed                                |
 * | `CpflowTimeliness`       | KeywordList  | `series:on-time:N` / `series:late:N` of the steps done        |
 *
 * Overdue is read, not pushed: a case publishes its open steps' due dates whenever they change, and a reader
 * (`cpflow overdue`) lists as overdue on day D every step due before D — exact from 00:00, with no wake-up of
 * the case at midnight.
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
/**
 * `stepId@YYYY-MM-DD` of every open step that turns overdue once its due date has passed (due, overdue, or
 * waiting on a projected date): overdue on day D are those due before D.
 */
export const CPFLOW_OPEN_STEP_DUES = defineSearchAttributeKey('CpflowOpenStepDues', SearchAttributeType.KEYWORD_LIST);
/** Earliest due date among {@link CPFLOW_OPEN_STEP_DUES}; `< D` finds the cases with a step overdue on day D. */
export const CPFLOW_EARLIEST_DUE = defineSearchAttributeKey('CpflowEarliestDue', SearchAttributeType.DATETIME);
/** True while the case is open; false once it is closed. */
export const CPFLOW_CASE_OPEN = defineSearchAttributeKey('CpflowCaseOpen', SearchAttributeType.BOOL);
/** `series:on-time:N` / `series:late:N`: the steps done by their due date and after it (managers' timeliness). */
export const CPFLOW_TIMELINESS = defineSearchAttributeKey('CpflowTimeliness', SearchAttributeType.KEYWORD_LIST);

/** Every cpflow search attribute key, in the order they are registered with the Temporal namespace. */
export const CPFLOW_SEARCH_ATTRIBUTES = [
  CPFLOW_STAGE,
  CPFLOW_TEAM,
  CPFLOW_ASSIGNEE,
  CPFLOW_NEXT_STEP,
  CPFLOW_NEXT_DUE,
  CPFLOW_CASE_OPEN,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_TIMELINESS,
] as const;
