/**
 * Runs a {@link Scenario} on Temporal's time-skipping test server: starts the server (provisioned by
 * temporal-servers/, through `TestWorkflowEnvironment.createTimeSkipping`), a worker with cpflow's real workflows and
 * activities over a {@link SimulatedMailer}, opens the case at its virtual time, sends each command at its
 * time, lets virtual time run to the end, then collects what happened: the workflow's case log, the emails
 * the mail server accepted or refused, and the outcome of every command — in virtual-time order.
 */
import { isAbsolute, resolve } from 'node:path';
import { provisionServer } from '../temporal-servers';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { toEpochDay } from '../domain/calendar';
import type { ProcedurePolicy } from '../domain/policy';
import { loadPolicy, DEFAULT_POLICY_NAME } from '../config/policy-loader';
import { createActivities } from '../activities';
import { InMemorySentLog } from '../mail/sent-log';
import { SyntheticStaffDirectory } from '../mail/staff-directory';
import { addSearchAttributes } from '../worker/search-attributes';
import { defaultWorkflowsPath } from '../worker/worker';
import { bundleWorkflowsInChildProcess } from '../worker/workflow-bundle';
import { CPFLOW_TASK_QUEUE } from '../workflows/task-queue';
import { caseStatusQuery, caseWorkflowId, type CaseStatus } from '../workflows/case/messages';
import { applyCaseHolidays, openCase, readCaseLog, recordCaseEvent } from '../cli/cases/case-client';
import { CommandRefusedError } from '../cli/cases/errors';
import { caseCalendarData } from '../cli/cases/inputs';
import { TimeSkipper } from './child-completion-locks';
import type { Scenario } from './scenario';
import { type CapturedEmail, type RefusedDelivery, SimulatedMailer } from './simulated-mailer';
import { ukWallClock } from './uk-time';

/** The scenario starts before the simulation server's clock; virtual time only moves forward. */
export class ScenarioInThePastError extends Error {
  override readonly name = 'ScenarioInThePastError';
}

/** Where a simulation line comes from. */
export type SimulationSource = 'simulation' | 'case' | 'mail';

/** One line of what happened. */
export interface SimulationEntry {
  /** Virtual time, epoch ms. */
  readonly at: number;
  /** Virtual time as an ISO instant (UTC). */
  readonly instant: string;
  /** Calendar days since the referral was received (day 0). */
  readonly day: number;
  readonly source: SimulationSource;
  /** Case log kind (`reminder`, `escalation`, `lado-referral`, `stage-change`, `email`, …), or `command`, `command-refused`, `email-delivered`, `email-deferred`. */
  readonly kind: string;
  readonly stepId?: string;
  readonly detail: string;
}

/** The outcome of a simulation. */
export interface SimulationReport {
  readonly description?: string;
  readonly caseReference: string;
  readonly policyId: string;
  readonly openedAt: string;
  readonly endsAt: string;
  readonly entries: readonly SimulationEntry[];
  readonly emails: readonly CapturedEmail[];
  readonly deferredEmails: readonly RefusedDelivery[];
  readonly finalStatus: CaseStatus;
}

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** Directory a relative `policy` path is resolved from (the scenario file's folder). */
  readonly baseDir?: string;
  /** Progress lines while Temporal's test server is provisioned for the first time (default: standard error). */
  readonly log?: (line: string) => void;
  /** Workflows module to run (default: cpflow's `workflows/index.ts`). */
  readonly workflowsPath?: string;
}

const bundles = new Map<string, Promise<WorkflowBundle>>();

/**
 * Bundles the workflows once per process (bundling takes seconds) with the options every worker uses
 * (worker/workflow-bundle.ts: zod preloaded once per worker), in a child process so webpack's heap does not
 * stay in this one.
 */
function bundleFor(workflowsPath: string): Promise<WorkflowBundle> {
  let bundle = bundles.get(workflowsPath);
  if (bundle === undefined) {
    bundle = bundleWorkflowsInChildProcess(workflowsPath);
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}

/**
 * Installs a Temporal runtime that logs errors only (sdk-core's own logs forwarded to it, so its warnings about
 * the test server's capabilities stay out of the report), unless one is installed already.
 */
function installQuietRuntime(): void {
  if (Runtime._instance !== undefined) return;
  const level = (process.env.TEMPORAL_LOG_LEVEL as 'ERROR' | undefined) ?? 'ERROR';
  Runtime.install({
    logger: new DefaultLogger(level),
    telemetryOptions: { logging: { filter: { core: level, other: level }, forward: {} } },
  });
}

/** Loads the scenario's policy: a name, or a path relative to `baseDir`. */
export function scenarioPolicy(scenario: Scenario, baseDir: string | undefined): ProcedurePolicy {
  const policy = scenario.policy ?? DEFAULT_POLICY_NAME;
  const isPath = policy.includes('/') || policy.includes('\\') || policy.endsWith('.json');
  return loadPolicy(isPath && !isAbsolute(policy) && baseDir !== undefined ? resolve(baseDir, policy) : policy);
}

const SOURCE_ORDER: Record<SimulationSource, number> = { simulation: 0, case: 1, mail: 2 };

/** Runs a scenario to its end and reports what happened, in virtual-time order. */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): Promise<SimulationReport> {
  const policy = scenarioPolicy(scenario, options.baseDir);
  const calendar = caseCalendarData(scenario.referral.receivedOn);
  const caseReference = scenario.referral.caseReference;
  const receivedDay = toEpochDay(scenario.referral.receivedOn);
  const raw: Omit<SimulationEntry, 'instant' | 'day'>[] = [];
  const note = (at: number, kind: string, detail: string, stepId?: string) =>
    raw.push({ at, source: 'simulation', kind, detail, ...(stepId !== undefined ? { stepId } : {}) });

  installQuietRuntime();
  const workflowBundle = await bundleFor(options.workflowsPath ?? defaultWorkflowsPath());
  const server = await provisionServer('time-skipping', options.log === undefined ? {} : { log: options.log });
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: server.executable } });
  try {
    const namespace = env.namespace ?? 'default';
    await addSearchAttributes(env.connection, namespace);
    const start = await env.currentTimeMs();
    if (scenario.openedAt < start) {
      throw new ScenarioInThePastError(
        `the case opens at ${new Date(scenario.openedAt).toISOString()}, before the simulation clock ` +
          `(${new Date(start).toISOString()}): virtual time only moves forward, so date scenarios in the future`,
      );
    }
    // Local activities run inside a workflow task, while the server's clock stands still: their emails are
    // stamped with the server's current (virtual) time.
    const mailer = new SimulatedMailer(scenario.smtpOutages, () => env.currentTimeMs());
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace,
      taskQueue: CPFLOW_TASK_QUEUE,
      workflowBundle,
      activities: createActivities({
        mailer,
        sentLog: new InMemorySentLog(),
        directory: new SyntheticStaffDirectory(),
      }),
    });
    const skipper = new TimeSkipper(env);
    skipper.watch(caseReference);
    const sleepUntil = async (at: number) => {
      const now = await env.currentTimeMs();
      if (at > now) await skipper.sleep(at - now);
    };
    const finalStatus = await worker.runUntil(async () => {
      await sleepUntil(scenario.openedAt);
      // Reads are answered as of the virtual UK date, not the real one (the case no longer wakes at midnight).
      const opened = await openCase(
        env.client,
        { referral: scenario.referral, policy, calendar },
        { asOf: ukWallClock(await env.currentTimeMs()).date },
      );
      note(await env.currentTimeMs(), 'command', `case opened (policy ${opened.timeline.policyId})`);
      for (const command of scenario.commands) {
        await sleepUntil(command.at);
        const at = await env.currentTimeMs();
        try {
          if (command.kind === 'record') {
            const receipt = await recordCaseEvent(env.client, caseReference, command.event);
            note(
              at,
              'command',
              `recorded ${command.event.type} (on ${command.event.occurredOn}, by ${command.event.recordedBy}); stage ${receipt.stage}`,
            );
          } else {
            const holiday = { ...command.holiday, source: 'announced' };
            const receipt = await applyCaseHolidays(env.client, caseReference, {
              holidays: [holiday],
              ...(command.appliedBy !== undefined ? { appliedBy: command.appliedBy } : {}),
            });
            const moved = receipt.changedDueDates.map((c) => `${c.stepId} ${c.from} → ${c.to}`).join(', ');
            note(
              at,
              'command',
              `holiday announced: ${holiday.date} (${holiday.name}); ${moved === '' ? 'no due date moved' : `moved ${moved}`}`,
            );
          }
        } catch (err) {
          if (!(err instanceof CommandRefusedError)) throw err;
          note(at, 'command-refused', `${err.command} refused (${err.failureType}): ${err.why}`);
        }
      }
      await sleepUntil(scenario.endsAt);
      const log = await readCaseLog(env.client, caseReference);
      for (const entry of log) {
        raw.push({
          at: Date.parse(entry.at),
          source: 'case',
          kind: entry.kind,
          detail: entry.detail,
          ...(entry.stepId !== undefined ? { stepId: entry.stepId } : {}),
        });
      }
      const asOf = ukWallClock(await env.currentTimeMs()).date;
      return env.client.workflow.getHandle(caseWorkflowId(caseReference)).query(caseStatusQuery, asOf);
    });
    for (const email of mailer.delivered) {
      raw.push({ at: email.at, source: 'mail', kind: 'email-delivered', detail: `to ${email.to}: ${email.subject}` });
    }
    for (const refused of mailer.refused) {
      raw.push({
        at: refused.at,
        source: 'mail',
        kind: 'email-deferred',
        detail: `SMTP outage: delivery to ${refused.to} refused, will be retried`,
      });
    }
    const entries = raw
      .map((entry, index) => ({ entry, index }))
      .sort(
        (a, b) =>
          a.entry.at - b.entry.at || SOURCE_ORDER[a.entry.source] - SOURCE_ORDER[b.entry.source] || a.index - b.index,
      )
      .map(({ entry }): SimulationEntry => ({
        ...entry,
        instant: new Date(entry.at).toISOString(),
        day: toEpochDay(ukWallClock(entry.at).date) - receivedDay,
      }));
    return {
      ...(scenario.description !== undefined ? { description: scenario.description } : {}),
      caseReference,
      policyId: policy.id,
      openedAt: new Date(scenario.openedAt).toISOString(),
      endsAt: new Date(scenario.endsAt).toISOString(),
      entries,
      emails: mailer.delivered,
      deferredEmails: mailer.refused,
      finalStatus,
    };
  } finally {
    await env.teardown();
  }
}
