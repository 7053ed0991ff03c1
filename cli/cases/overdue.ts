/**
 * The manager's overdue listing, answered from Temporal visibility alone: one ListWorkflowExecutions query on
 * cpflow's search attributes (paged through), never a query to each case. Overdue is decided here, by the
 * reader, not pushed by the case: a case publishes the due dates of its open steps in `CpflowOpenStepDues`
 * (`stepId@dueDate`) and the earliest of them in `CpflowEarliestDue`, and a step is overdue on `today` when its
 * due date is before `today` — from 00:00 in England, whenever the case last woke up. The query
 * ({@link overdueVisibilityQuery}) finds the cases; this module turns the rows into one line per overdue step,
 * most overdue first. Sorting happens here because Temporal's SQL visibility stores reject ORDER BY.
 */
import { type Client, isGrpcServiceError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { type IsoDate, isIsoDate, WorkingDayCalendar, yearOf } from '../../domain/calendar';
import { loadCalendarData } from '../../config/holidays';
import { formatColumns, TABLE_WIDTH, wrap } from './format';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_STAGE,
  CPFLOW_TEAM,
  CPFLOW_TIMELINESS,
} from '../../workflows/search-attributes';

/** What visibility says about one open case that may have overdue steps. */
export interface OverdueVisibilityRow {
  /** The workflow id, i.e. the pseudonymous case reference. */
  readonly caseReference: string;
  readonly team?: string;
  readonly assignee?: string;
  /** `CpflowOpenStepDues` values, each `stepId@YYYY-MM-DD`: the case's overdue steps are those due before today. */
  readonly openStepDues: readonly string[];
}

/** One overdue step of one case, as `cpflow overdue` prints it. */
export interface OverdueStep {
  readonly caseReference: string;
  readonly team: string | null;
  readonly assignee: string | null;
  readonly stepId: string;
  readonly dueDate: IsoDate;
  /** Working days in (dueDate, today]: 1 the first working day after the due date. */
  readonly workingDaysOverdue: number;
}

/** The result of an overdue listing. */
export interface OverdueListing {
  readonly today: IsoDate;
  readonly team: string | null;
  readonly steps: readonly OverdueStep[];
  /** `CpflowOpenStepDues` values that are not `stepId@YYYY-MM-DD` (reported, not silently dropped). */
  readonly unreadable: readonly { readonly caseReference: string; readonly value: string }[];
}

/** Options of an overdue listing. */
export interface OverdueOptions {
  /** Only cases of this team. */
  readonly team?: string;
  /** The day the listing is for (England): steps due before it are overdue; working days overdue count up to it. */
  readonly today: IsoDate;
  /** Rows per visibility page (default {@link OVERDUE_PAGE_SIZE}). */
  readonly pageSize?: number;
}

const STEP_VALUE = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)@(\d{4}-\d{2}-\d{2})$/;

/** Splits a `CpflowOpenStepDues` value `stepId@YYYY-MM-DD`; undefined when it is not one. */
export function parseOverdueStepValue(value: string): { stepId: string; dueDate: IsoDate } | undefined {
  const match = STEP_VALUE.exec(value);
  if (match === null || !isIsoDate(match[2])) return undefined;
  return { stepId: match[1], dueDate: match[2] };
}

/**
 * The visibility query for open cases with a step overdue on `today`, optionally of one team: cases whose
 * earliest open due date (UTC midnight of the due day) is before `today`. No ORDER BY: SQL stores refuse it.
 */
export function overdueVisibilityQuery(today: IsoDate, team?: string): string {
  const clauses = [
    `ExecutionStatus = 'Running'`,
    // Cases that never published CpflowCaseOpen (e.g. child workflows) are not cases.
    `${CPFLOW_CASE_OPEN.name} = true`,
    `${CPFLOW_EARLIEST_DUE.name} < '${today}T00:00:00Z'`,
  ];
  if (team !== undefined) clauses.push(`${CPFLOW_TEAM.name} = '${team.replace(/'/g, "''")}'`);
  return clauses.join(' AND ');
}

/**
 * Rows asked for per ListWorkflowExecutions page. A Temporal server caps it at its own maximum
 * (`frontend.visibilityMaxPageSize`, 1,000 by default); asking for more lets servers that allow it answer in
 * fewer pages. A page too large for the client's gRPC message limit is asked for again at half the size.
 */
export const OVERDUE_PAGE_SIZE = 5000;
/** Smallest page size {@link listVisibilityPages} halves down to. */
const MIN_PAGE_SIZE = 100;

type ListResponse = temporal.api.workflowservice.v1.IListWorkflowExecutionsResponse;
type Execution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** A page requested (possibly ahead of time) with the token and size it was asked with. */
interface PendingPage {
  readonly token: Uint8Array | undefined;
  readonly response: Promise<ListResponse>;
}

/** gRPC status RESOURCE_EXHAUSTED. */
const RESOURCE_EXHAUSTED = 8;

/** A page too large for the client, e.g. "Received message larger than max". */
function isTooLarge(err: unknown): boolean {
  return isGrpcServiceError(err) && err.code === RESOURCE_EXHAUSTED;
}

/**
 * Every execution answering `query`, page by page. The next page is requested as soon as a page arrives, so
 * the server prepares it while this process decodes the current one.
 */
export async function* listVisibilityPages(
  client: Client,
  query: string,
  pageSize = OVERDUE_PAGE_SIZE,
): AsyncGenerator<Execution[]> {
  const namespace = client.options.namespace;
  let size = pageSize;
  const fetch = (token: Uint8Array | undefined): PendingPage => {
    const response = client.workflowService.listWorkflowExecutions({
      namespace,
      query,
      pageSize: size,
      nextPageToken: token,
    });
    response.catch(() => undefined); // a prefetched page nobody awaits must not become an unhandled rejection
    return { token, response };
  };
  let pending: PendingPage | undefined = fetch(undefined);
  while (pending !== undefined) {
    let page: ListResponse;
    try {
      page = await pending.response;
    } catch (err) {
      if (!isTooLarge(err) || size <= MIN_PAGE_SIZE) throw err;
      size = Math.max(MIN_PAGE_SIZE, Math.floor(size / 2));
      pending = fetch(pending.token);
      continue;
    }
    const token = page.nextPageToken;
    pending = token !== null && token !== undefined && token.length > 0 ? fetch(token) : undefined;
    yield page.executions ?? [];
  }
}

/** One search attribute of a listed execution, decoded (undefined when unset). */
function attribute(execution: Execution, name: string): unknown {
  const payload = execution.searchAttributes?.indexedFields?.[name];
  if (
    payload === undefined ||
    payload === null ||
    payload.data === null ||
    payload.data === undefined ||
    payload.data.length === 0
  ) {
    return undefined;
  }
  return defaultPayloadConverter.fromPayload(payload);
}

/** A Keyword value (servers may wrap a scalar in a one-element list). */
function keyword(value: unknown): string | undefined {
  const scalar = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  return typeof scalar === 'string' ? scalar : undefined;
}

/** A KeywordList value: its strings, undefined when unset (a lone string is a one-element list). */
function keywordList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : undefined;
}

/** The case reference, team, assignee and open steps' due dates of a listed execution. */
function rowOf(execution: Execution): OverdueVisibilityRow {
  const teamId = keyword(attribute(execution, CPFLOW_TEAM.name));
  const assignee = keyword(attribute(execution, CPFLOW_ASSIGNEE.name));
  return {
    caseReference: execution.execution?.workflowId ?? '',
    ...(teamId !== undefined ? { team: teamId } : {}),
    ...(assignee !== undefined ? { assignee } : {}),
    openStepDues: keywordList(attribute(execution, CPFLOW_OPEN_STEP_DUES.name)) ?? [],
  };
}

/**
 * Every row of visibility answering {@link overdueVisibilityQuery} for `options.today` (and `options.team`),
 * all pages. Only the four attributes the listing needs are decoded from each execution.
 */
export async function readOverdueRows(client: Client, options: OverdueOptions): Promise<OverdueVisibilityRow[]> {
  const rows: OverdueVisibilityRow[] = [];
  const query = overdueVisibilityQuery(options.today, options.team);
  for await (const executions of listVisibilityPages(client, query, options.pageSize)) {
    for (const execution of executions) rows.push(rowOf(execution));
  }
  return rows;
}

/** The working-day calendar covering every due date up to `today`. */
export function calendarCovering(dueDates: readonly IsoDate[], today: IsoDate): WorkingDayCalendar {
  const years = [yearOf(today), ...dueDates.map(yearOf)];
  return WorkingDayCalendar.fromData(loadCalendarData({ fromYear: Math.min(...years), toYear: Math.max(...years) }));
}

/**
 * One line per overdue step, most overdue first (earliest due date; then case reference, step id), filtered to
 * `team` when given: the open steps of each row due before `today`. Pure apart from the calendar passed in.
 */
export function overdueStepsOf(
  rows: readonly OverdueVisibilityRow[],
  options: OverdueOptions,
  calendarFor: (dueDates: readonly IsoDate[], today: IsoDate) => WorkingDayCalendar = calendarCovering,
): OverdueListing {
  const unreadable: { caseReference: string; value: string }[] = [];
  const parsed: { row: OverdueVisibilityRow; stepId: string; dueDate: IsoDate }[] = [];
  for (const row of rows) {
    if (options.team !== undefined && row.team !== options.team) continue;
    for (const value of row.openStepDues) {
      const step = parseOverdueStepValue(value);
      if (step === undefined) unreadable.push({ caseReference: row.caseReference, value });
      else if (step.dueDate < options.today) parsed.push({ row, ...step });
    }
  }
  const calendar =
    parsed.length === 0
      ? undefined
      : calendarFor(
          parsed.map((p) => p.dueDate),
          options.today,
        );
  const steps = parsed.map(({ row, stepId, dueDate }): OverdueStep => ({
    caseReference: row.caseReference,
    team: row.team ?? null,
    assignee: row.assignee ?? null,
    stepId,
    dueDate,
    workingDaysOverdue: calendar === undefined ? 0 : calendar.workingDaysBetween(dueDate, options.today),
  }));
  steps.sort(
    (a, b) => compare(a.dueDate, b.dueDate) || compare(a.caseReference, b.caseReference) || compare(a.stepId, b.stepId),
  );
  return { today: options.today, team: options.team ?? null, steps, unreadable };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lists every overdue step across open cases from visibility (see module doc). */
export async function listOverdueSteps(client: Client, options: OverdueOptions): Promise<OverdueListing> {
  const rows = await readOverdueRows(client, options);
  return overdueStepsOf(rows, options);
}

/** The readable table of an overdue listing. */
export function formatOverdueTable(listing: OverdueListing): string {
  const scope = listing.team === null ? 'all teams' : listing.team;
  if (listing.steps.length === 0) return `No overdue steps (${scope}, as of ${listing.today}).`;
  // Working days overdue first: the column managers sort by, and short enough to keep the table in 80 columns.
  const header = ['WD LATE', 'CASE', 'DUE', 'ASSIGNEE', 'TEAM', 'STEP'];
  const rows = listing.steps.map((s) => [
    String(s.workingDaysOverdue),
    s.caseReference,
    s.dueDate,
    s.assignee ?? '-',
    s.team ?? '-',
    s.stepId,
  ]);
  const cases = new Set(listing.steps.map((s) => s.caseReference)).size;
  return [
    ...wrap(
      `${listing.steps.length} overdue step(s) in ${cases} open case(s) (${scope}, as of ${listing.today}), most overdue first; WD LATE = working days overdue`,
      TABLE_WIDTH,
    ),
    '',
    ...formatColumns(header, rows),
  ].join('\n');
}

/** One open case as visibility lists it: who has it, its open steps' due dates, its steps done on time or late. */
export interface OpenCaseRow extends OverdueVisibilityRow {
  readonly stage?: string;
  /** `series:on-time:N` / `series:late:N`. */
  readonly timeliness: readonly string[];
}

/** Which open cases to list: of these teams, of this practitioner (both optional, and-ed). */
export interface OpenCaseFilter {
  readonly teams?: readonly string[];
  readonly assignee?: string;
}

const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Every open case answering `filter`, all pages, with the attributes a worklist needs. */
export async function readOpenCaseRows(client: Client, filter: OpenCaseFilter): Promise<OpenCaseRow[]> {
  const clauses = [`ExecutionStatus = 'Running'`, `${CPFLOW_CASE_OPEN.name} = true`];
  if (filter.teams !== undefined) {
    if (filter.teams.length === 0) return [];
    clauses.push(`${CPFLOW_TEAM.name} IN (${filter.teams.map(quoted).join(', ')})`);
  }
  if (filter.assignee !== undefined) clauses.push(`${CPFLOW_ASSIGNEE.name} = ${quoted(filter.assignee)}`);
  const rows: OpenCaseRow[] = [];
  for await (const executions of listVisibilityPages(client, clauses.join(' AND '))) {
    for (const execution of executions) {
      const stage = keyword(attribute(execution, CPFLOW_STAGE.name));
      const timeliness = keywordList(attribute(execution, CPFLOW_TIMELINESS.name)) ?? [];
      rows.push({ ...rowOf(execution), ...(stage !== undefined ? { stage } : {}), timeliness });
    }
  }
  return rows.sort((a, b) => (a.caseReference < b.caseReference ? -1 : a.caseReference > b.caseReference ? 1 : 0));
}
