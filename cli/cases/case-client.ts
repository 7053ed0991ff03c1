/**
 * The case commands' conversation with Temporal: start a case workflow, send it commands (updates), read it
 * (queries), list open cases from visibility. Every function takes a connected {@link Client}, so the command
 * line, tests and the simulator share them; Temporal's errors come back as cpflow's named errors.
 */
import {
  type Client,
  isGrpcServiceError,
  QueryNotRegisteredError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes, WorkflowNotFoundError } from '@temporalio/common';
import { forensicLogQuery } from '../../workflows/forensic/messages';
import type { CalendarData, IsoDate } from '../../domain/calendar';
import type { CaseEvent, Referral } from '../../domain/case';
import type { ProcedurePolicy } from '../../domain/policy';
import type { Timeline } from '../../domain/planner';
import type { Refusal } from '../../domain/rules';
import { type EventCorrection, parseCaseOpening } from '../../domain/case-process';
import {
  type ApplyHolidaysCommand,
  applyHolidaysUpdate,
  correctEventUpdate,
  type AuditEntry,
  CASE_WORKFLOW_TYPE,
  caseLogQuery,
  type CaseLogEntry,
  caseReadingQuery,
  type CaseStatus,
  caseWorkflowId,
  COMMAND_REFUSED,
  forensicWorkflowId,
  type CommandReceipt,
  type CaseWorkflowInput,
  recordEventUpdate,
  timelineQuery,
} from '../../workflows/case/messages';
import { CPFLOW_ASSIGNEE, CPFLOW_CASE_OPEN, CPFLOW_TEAM } from '../../workflows/search-attributes';
import { CPFLOW_TASK_QUEUE } from '../../workflows/task-queue';
import { todayInEngland } from '../options';
import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  CaseNotRunningError,
  CommandRefusedError,
  NoWorkerAnsweredError,
} from './errors';

/** How long a command or query waits for a worker by default. */
export const DEFAULT_ANSWER_TIMEOUT_MS = 30_000;

/** Options shared by the case operations. */
export interface CaseCallOptions {
  /** Task queue to start cases on (default {@link CPFLOW_TASK_QUEUE}). */
  readonly taskQueue?: string;
  /** How long to wait for a worker to answer (default {@link DEFAULT_ANSWER_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
  /**
   * The caller's date in England that reads are answered as of (default: today in England). The case answers as
   * of the later of this date and its own, since it no longer wakes at midnight to learn the new day.
   */
  readonly asOf?: IsoDate;
}

/** What `referral create` starts a case with. */
export interface OpenCaseInput {
  readonly referral: Referral;
  readonly policy: ProcedurePolicy;
  readonly calendar: CalendarData;
}

/** A newly opened case. */
export interface OpenedCase {
  readonly caseReference: string;
  readonly runId: string;
  readonly timeline: Timeline;
}

/** Everything `case show` prints. */
export interface CaseView {
  readonly status: CaseStatus;
  readonly timeline: Timeline;
  readonly audit: readonly AuditEntry[];
}

/** gRPC status DEADLINE_EXCEEDED. */
const DEADLINE_EXCEEDED = 4;

function isDeadlineExceeded(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && grpc.code === DEADLINE_EXCEEDED;
}

/**
 * The case workflow refused the update: the failure inside the error — normally an ApplicationFailure of type
 * CommandRefused (any other failure of the update is reported the same way, with its own type).
 */
function refusalOf(err: unknown): { type: string; refusals: Refusal[] } | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type === COMMAND_REFUSED && Array.isArray(cause.details?.[0])) {
    return { type: COMMAND_REFUSED, refusals: cause.details[0] as Refusal[] };
  }
  // Any other failure of the update: reported with its own type, its message as the rule.
  const type = cause instanceof ApplicationFailure ? (cause.type ?? 'UpdateFailed') : (cause?.name ?? 'UpdateFailed');
  return {
    type,
    refusals: [{ code: 'update-failed', field: 'command', rule: cause?.message ?? err.message, section: type }],
  };
}

/**
 * Runs one call to a case, mapping Temporal's errors: not found → {@link CaseNotFoundError} (or
 * {@link CaseNotRunningError} when the case exists but its workflow has closed), a refused update →
 * {@link CommandRefusedError}, no worker within the timeout → {@link NoWorkerAnsweredError}.
 */
async function callCase<R>(
  client: Client,
  caseReference: string,
  what: string,
  options: CaseCallOptions,
  call: () => Promise<R>,
): Promise<R> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  try {
    return await client.withDeadline(Date.now() + timeoutMs, call);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      const closed = await client.workflow
        .getHandle(caseWorkflowId(caseReference))
        .describe()
        .then((d) => d.status.name !== 'RUNNING')
        .catch(() => false);
      throw closed ? new CaseNotRunningError(caseReference) : new CaseNotFoundError(caseReference);
    }
    const refusal = refusalOf(err);
    if (refusal !== undefined) throw new CommandRefusedError(caseReference, what, refusal.refusals, refusal.type);
    if (isDeadlineExceeded(err)) throw new NoWorkerAnsweredError(caseReference, what, Math.round(timeoutMs / 1000));
    throw err;
  }
}

/**
 * Opens a case: starts `caseWorkflow` with id = the case reference (never reused, even after closure), with
 * its team, assignee and open flag as initial search attributes, then reads its timeline (as of `options.asOf`).
 * @throws CaseAlreadyExistsError when a workflow with that id exists or existed.
 */
export async function openCase(
  client: Client,
  input: OpenCaseInput,
  options: CaseCallOptions = {},
): Promise<OpenedCase> {
  const caseReference = input.referral.caseReference;
  // A referral may not be dated after the caller's date (the later of theirs and today: a simulation runs ahead).
  const today = todayInEngland();
  const opening = parseCaseOpening(input, options.asOf !== undefined && options.asOf > today ? options.asOf : today);
  if (!opening.ok)
    throw new CommandRefusedError(caseReference, 'referral create', opening.refusals, 'CaseOpeningRefused');
  const args: CaseWorkflowInput = { referral: input.referral, policy: input.policy, calendar: input.calendar };
  let handle;
  try {
    handle = await client.workflow.start(CASE_WORKFLOW_TYPE, {
      workflowId: caseWorkflowId(caseReference),
      taskQueue: options.taskQueue ?? CPFLOW_TASK_QUEUE,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [args],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: CPFLOW_TEAM, value: input.referral.teamId },
        { key: CPFLOW_ASSIGNEE, value: input.referral.practitionerId },
        { key: CPFLOW_CASE_OPEN, value: true },
      ]),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CaseAlreadyExistsError(caseReference);
    throw err;
  }
  const timeline = await callCase(client, caseReference, 'timeline query', options, () =>
    handle.query(timelineQuery, options.asOf ?? todayInEngland()),
  ).catch((err: unknown) => {
    if (err instanceof NoWorkerAnsweredError)
      throw new NoWorkerAnsweredError(caseReference, 'timeline query', err.seconds, true);
    throw err;
  });
  return { caseReference, runId: handle.firstExecutionRunId, timeline };
}

/**
 * Records one event on a case (the `recordEvent` update).
 * @throws CommandRefusedError with the workflow's reason when the case refuses it; nothing changes then.
 */
export async function recordCaseEvent(
  client: Client,
  caseReference: string,
  event: CaseEvent,
  options: CaseCallOptions = {},
): Promise<CommandReceipt> {
  const handle = client.workflow.getHandle(caseWorkflowId(caseReference));
  return callCase(client, caseReference, `recordEvent ${event.type}`, options, () =>
    handle.executeUpdate(recordEventUpdate, { args: [event] }),
  );
}

/**
 * Amends or withdraws a recorded event (the `correctEvent` update).
 * @throws CommandRefusedError with the case's reasons when it refuses; nothing changes then.
 */
export async function correctCaseEvent(
  client: Client,
  caseReference: string,
  correction: EventCorrection,
  options: CaseCallOptions = {},
): Promise<CommandReceipt> {
  const handle = client.workflow.getHandle(caseWorkflowId(caseReference));
  return callCase(client, caseReference, `correctEvent ${correction.action}`, options, () =>
    handle.executeUpdate(correctEventUpdate, { args: [correction] }),
  );
}

/** Applies newly announced holidays to one case (the `applyHolidays` update). */
export async function applyCaseHolidays(
  client: Client,
  caseReference: string,
  command: ApplyHolidaysCommand,
  options: CaseCallOptions = {},
): Promise<CommandReceipt> {
  const handle = client.workflow.getHandle(caseWorkflowId(caseReference));
  return callCase(client, caseReference, 'applyHolidays', options, () =>
    handle.executeUpdate(applyHolidaysUpdate, { args: [command] }),
  );
}

/** Reads a case: status and timeline as of `options.asOf` (default today in England), and audit trail. */
export async function readCase(
  client: Client,
  caseReference: string,
  options: CaseCallOptions = {},
): Promise<CaseView> {
  const handle = client.workflow.getHandle(caseWorkflowId(caseReference));
  const asOf = options.asOf ?? todayInEngland();
  return callCase(client, caseReference, 'case query', options, async () => {
    const reading = await handle.query(caseReadingQuery, asOf);
    return { status: reading.status, timeline: reading.timeline, audit: [...reading.audit] };
  });
}

/**
 * Reads a case's chronological log: the case's own lines merged by time with those its forensic-wait child
 * keeps (`forensicLog`: the police-update and bail reminders it sent). A case without that child, or whose
 * child predates the query (it reported to the case log instead), has only its own lines.
 */
export async function readCaseLog(
  client: Client,
  caseReference: string,
  options: CaseCallOptions = {},
): Promise<CaseLogEntry[]> {
  const handle = client.workflow.getHandle(caseWorkflowId(caseReference));
  const own = await callCase(client, caseReference, 'caseLog query', options, () => handle.query(caseLogQuery));
  const forensic = await readForensicLog(client, caseReference, options);
  return mergeCaseLogs(own, forensic);
}

/** The forensic-wait child's log lines; none when the case has no such child or it predates the query. */
async function readForensicLog(
  client: Client,
  caseReference: string,
  options: CaseCallOptions,
): Promise<CaseLogEntry[]> {
  const child = client.workflow.getHandle(forensicWorkflowId(caseReference));
  try {
    return await client.withDeadline(Date.now() + (options.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS), () =>
      child.query(forensicLogQuery),
    );
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || err instanceof QueryNotRegisteredError) return [];
    throw err;
  }
}

/** Two chronological logs as one, by time; on equal times the case's own line first. */
export function mergeCaseLogs(own: readonly CaseLogEntry[], child: readonly CaseLogEntry[]): CaseLogEntry[] {
  const merged: CaseLogEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < own.length || j < child.length) {
    if (j >= child.length || (i < own.length && own[i].at <= child[j].at)) merged.push(own[i++]);
    else merged.push(child[j++]);
  }
  return merged;
}

/** References of every open case, from visibility (all pages), sorted. */
export async function listOpenCaseReferences(client: Client): Promise<string[]> {
  const references: string[] = [];
  const query = `ExecutionStatus = 'Running' AND ${CPFLOW_CASE_OPEN.name} = true AND WorkflowType = '${CASE_WORKFLOW_TYPE}'`;
  for await (const execution of client.workflow.list({ query, pageSize: 1000 })) references.push(execution.workflowId);
  return references.sort();
}
