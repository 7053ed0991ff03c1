/**
 * Shared support for the case workflow tests: a time-skipping environment with cpflow's search attributes,
 * a worker over the real activities with only the outside world faked (a recording mailer that can go down,
 * an in-memory sent log, the synthetic staff directory), case fixtures, and a clock helper to move virtual
 * time to a given UK date and hour.
 */
import * as path from 'node:path';
import { Context } from '@temporalio/activity';
import { type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { arrayFromPayloads, defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleOption, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type Mailer } from '../../activities';
import { loadCalendarData } from '../../config/holidays';
import { loadPolicy } from '../../config/policy-loader';
import type { CalendarData, IsoDate } from '../../domain/calendar';
import { type CaseEvent, type Referral, type ReferralInput } from '../../domain/case';
import { ev, testReferral } from '../support/case-fixtures';
import type { ProcedurePolicy } from '../../domain/policy';
import { InMemorySentLog } from '../../mail/sent-log';
import { UnknownRecipientError } from '../../mail/errors';
import { type ResolvedRecipient, type StaffDirectory, SyntheticStaffDirectory } from '../../mail/staff-directory';
import type { caseWorkflow } from '../../workflows';
import { type CaseWorkflowInput, recordEventUpdate, type RunLimits } from '../../workflows/case/messages';
import { ukDateOf, ukInstant } from '../../domain/calendar';
import { createTestEnvironment } from '../support/temporal';
import { bundleWorkflows } from '../../worker/workflow-bundle';
import { TimeSkipper } from '../../simulation/child-completion-locks';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/** The workflows module the worker bundles. */
export const WORKFLOWS_PATH = path.resolve(__dirname, '../../workflows/index.ts');

let bundle: Promise<WorkflowBundleOption> | undefined;

/**
 * The workflow bundle the case workers use, built once per process with the production options
 * (worker/workflow-bundle.ts); {@link useWorkflowBundle} installs one built elsewhere (benchmarks bundle in a
 * child process so webpack's memory does not count against the worker).
 */
export function caseWorkflowBundle(): Promise<WorkflowBundleOption> {
  bundle ??= bundleWorkflows(WORKFLOWS_PATH);
  return bundle;
}

/** Makes the case workers use `prebuilt` instead of bundling in this process. */
export function useWorkflowBundle(prebuilt: WorkflowBundleOption): void {
  bundle = Promise.resolve(prebuilt);
}

/** The shipped policy and a calendar covering 2026–2029. */
export const policy: ProcedurePolicy = loadPolicy('pan-bedfordshire');
export const calendarData: CalendarData = loadCalendarData({ fromYear: 2026, toYear: 2029 });

/** Virtual time of the latest environment (what a local activity's emails are stamped with). */
let virtualNow: (() => Promise<number>) | undefined;

/** An environment on Temporal's time-skipping test server with cpflow's search attributes registered. */
export async function createCaseTestEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await createTestEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES });
  virtualNow = () => env.currentTimeMs();
  return env;
}

/** One email the fake mailer accepted. */
export interface SentMail {
  readonly to: string;
  readonly subject: string;
  readonly kind: string;
  readonly messageId: string;
  /** Virtual time the delivering activity attempt was scheduled (workflow time). */
  readonly at: number;
}

/**
 * A mailer that records what it is given, stamped with virtual time, and can be made unavailable. An activity
 * task's attempt carries its (virtual) scheduled time; a local activity runs inside the workflow task, while the
 * server's clock stands still, so its attempt is stamped with the server's current time (one request per email;
 * benchmarks that do not look at times pass `stampTimes: false`).
 */
export class RecordingMailer implements Mailer {
  readonly sent: SentMail[] = [];
  /** Refused attempts while down. */
  refused = 0;
  down = false;
  /** While set, every delivery waits for it (a mail server that is slow to answer). */
  gate: Promise<void> | undefined;
  readonly #stampTimes: boolean;

  constructor(options: { readonly stampTimes?: boolean } = {}) {
    this.#stampTimes = options.stampTimes ?? true;
  }

  async sendMail(message: {
    to: string;
    subject: string;
    messageId: string;
    headers?: Record<string, string>;
  }): Promise<unknown> {
    const info = Context.current().info;
    const at = !this.#stampTimes
      ? 0
      : info.isLocal
        ? await (virtualNow ?? (() => Promise.resolve(Date.now())))()
        : info.currentAttemptScheduledTimestampMs;
    if (this.gate !== undefined) await this.gate;
    if (this.down) {
      this.refused += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNREFUSED' });
    }
    this.sent.push({
      to: message.to,
      subject: message.subject,
      kind: message.headers?.['X-Cpflow-Notification-Kind'] ?? '',
      messageId: message.messageId,
      at,
    });
    return { accepted: [message.to] };
  }
}

/** The outside world of a test: mailer and sent log (shared by successive workers, like a real data dir). */
export interface OutsideWorld {
  readonly mailer: RecordingMailer;
  readonly sentLog: InMemorySentLog;
  readonly directory: GappyDirectory;
}

/** The synthetic staff directory, with recipients taken out of it (and put back) by the test. */
export class GappyDirectory implements StaffDirectory {
  readonly missing = new Set<string>();
  readonly #all = new SyntheticStaffDirectory();

  resolve(recipient: string): Promise<ResolvedRecipient> {
    if (this.missing.has(recipient)) {
      return Promise.reject(new UnknownRecipientError(recipient, 'is not in the staff directory'));
    }
    return this.#all.resolve(recipient);
  }
}

/** A fresh outside world (`stampTimes: false`: emails are not stamped with virtual time, for benchmarks). */
export function outsideWorld(options: { readonly stampTimes?: boolean } = {}): OutsideWorld {
  return { mailer: new RecordingMailer(options), sentLog: new InMemorySentLog(), directory: new GappyDirectory() };
}

/** Creates a worker for the case workflows on `taskQueue` over the real activities and the given outside world. */
export async function createCaseWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  world: OutsideWorld,
  options: Partial<WorkerOptions> = {},
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await caseWorkflowBundle(),
    activities: createActivities({
      mailer: world.mailer,
      sentLog: world.sentLog,
      directory: world.directory,
    }),
    ...options,
  });
}

/** A referral (ages only, pseudonymous ids) received on `receivedOn`. */
export function referral(
  receivedOn: string,
  overrides: Partial<ReferralInput> = {},
  caseReference = 'CP-2027-000001',
): Referral {
  return testReferral({ caseReference, receivedOn, ...overrides });
}

export { ev };

/** The input of a case workflow. */
export function caseInput(ref: Referral, limits?: RunLimits): CaseWorkflowInput {
  return { referral: ref, policy, calendar: calendarData, ...(limits === undefined ? {} : { limits }) };
}

/** How each environment skips time for the cases it drives (simulation/child-completion-locks.ts). */
const skippers = new WeakMap<TestWorkflowEnvironment, TimeSkipper>();

function skipperOf(env: TestWorkflowEnvironment): TimeSkipper {
  let skipper = skippers.get(env);
  if (skipper === undefined) skippers.set(env, (skipper = new TimeSkipper(env)));
  return skipper;
}

/** Notes that a case is driven in `env`, so {@link advanceTo} looks after the locks its children may leak. */
export function driveCase(env: TestWorkflowEnvironment, caseReference: string): void {
  skipperOf(env).watch(caseReference);
}

/**
 * Moves virtual time forward to `hour`:00 UK time on `date` (workflows run meanwhile), first releasing any
 * time-skipping lock the test server leaked when a child of a driven case ended (simulation/child-completion-locks.ts).
 */
export async function advanceTo(env: TestWorkflowEnvironment, date: string, hour = 10): Promise<void> {
  const target = ukInstant(date as IsoDate, hour);
  const now = await env.currentTimeMs();
  if (target > now) await skipperOf(env).sleep(target - now);
}

/** Moves to `hour` on the event's date, then records it. */
export async function recordOn(
  env: TestWorkflowEnvironment,
  handle: WorkflowHandle<typeof caseWorkflow>,
  event: CaseEvent,
  hour = 10,
): Promise<void> {
  driveCase(env, handle.workflowId);
  await advanceTo(env, event.occurredOn, hour);
  await handle.executeUpdate(recordEventUpdate, { args: [event] });
}

/** UK date and hour of an instant. */
export function ukStamp(ms: number): string {
  const hour = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  return `${ukDateOf(ms)} ${hour}h`;
}

/** Runs `fn` with a case workflow started on a fresh worker at 08:00 on the referral date. */
export async function withCase<R>(
  env: TestWorkflowEnvironment,
  world: OutsideWorld,
  input: CaseWorkflowInput,
  fn: (handle: WorkflowHandle<typeof caseWorkflow>) => Promise<R>,
  options: Partial<WorkerOptions> = {},
): Promise<R> {
  const taskQueue = `tq-${Math.random().toString(36).slice(2)}`;
  const worker = await createCaseWorker(env, taskQueue, world, options);
  return worker.runUntil(async () => {
    await advanceTo(env, input.referral.receivedOn, 8);
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      taskQueue,
      workflowId: input.referral.caseReference,
      args: [input],
    });
    return fn(handle);
  });
}

/** Notification ids delivered so far, as `date id` (UK date of delivery). */
export function deliveredIds(world: OutsideWorld): string[] {
  const byMessageId = new Map(world.mailer.sent.map((m) => [m.messageId, m]));
  return world.sentLog.all().map((r) => `${ukDateOf(byMessageId.get(r.messageId)?.at ?? 0)} ${r.notificationId}`);
}

/** The published `stepId@date` due dates (CpflowOpenStepDues) of steps overdue on `day`: due before it. */
export function overdueOn(attributes: Record<string, unknown>, day: string): string[] {
  const dues = (attributes.CpflowOpenStepDues ?? []) as string[];
  return dues.filter((value) => value.slice(value.indexOf('@') + 1) < day);
}

/** The times (ISO) of the workflow tasks scheduled for a workflow between two instants (inclusive). */
export async function workflowTaskTimes(handle: WorkflowHandle, from: string, to: string): Promise<string[]> {
  const history = await handle.fetchHistory();
  const scheduled = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED;
  return (history.events ?? [])
    .filter((e) => e.eventType === scheduled)
    .map((e) => new Date(Number(e.eventTime?.seconds ?? 0) * 1000).toISOString())
    .filter((at) => at >= new Date(from).toISOString() && at <= new Date(to).toISOString());
}

/**
 * The case's search attributes as plain values (from DescribeWorkflowExecution). An update's result can reach the
 * client before the upsert that follows it in the case's loop: read them with `expect.poll` after an update.
 */
export async function searchAttributesOf(handle: WorkflowHandle): Promise<Record<string, unknown>> {
  const description = await handle.describe();
  const out: Record<string, unknown> = {};
  for (const pair of description.typedSearchAttributes.getAll()) {
    out[pair.key.name] = pair.value instanceof Date ? pair.value.toISOString().slice(0, 10) : pair.value;
  }
  return out;
}

/** One run of a workflow, with its history. */
export interface WorkflowRun {
  readonly workflowId: string;
  readonly runId: string;
  readonly history: History;
}

/**
 * Every run of a workflow id, first to last, found from the latest run back through each run's continued-from
 * run id (the time-skipping test server has no visibility list to ask). None when the id never ran.
 */
export async function runsOf(env: TestWorkflowEnvironment, workflowId: string): Promise<WorkflowRun[]> {
  const runs: WorkflowRun[] = [];
  let runId: string | undefined;
  try {
    runId = (await env.client.workflow.getHandle(workflowId).describe()).runId;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return runs;
    throw err;
  }
  while (runId !== undefined && runId !== '') {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.unshift({ workflowId, runId, history });
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
  }
  return runs;
}

/** The channel key a case gave one of its children: the `channel` of the child's input in its first event. */
export async function channelOf(handle: WorkflowHandle): Promise<string> {
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const [input] = arrayFromPayloads(defaultPayloadConverter, started?.input?.payloads);
  return (input as { channel: string }).channel;
}
