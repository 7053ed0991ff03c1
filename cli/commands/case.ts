/**
 * `cpflow case …` (practitioners and managers): record events on a running case, read it, apply a newly
 * announced holiday.
 *   record <ref> <event-type> --file event.json [--on D] [--by S] [--json]   the `recordEvent` update
 *     (--on/--by replace the file's occurredOn/recordedBy; occurredOn defaults to today in England)
 *   reassign <ref> --to S [--team T] --by S [--on D]                        practitioner-reassigned
 *   not-required <ref> <step> --reason R --by S [--on D]                    step-not-required
 *   extend <ref> <step> --to D --reason R --agreed-by M --by S [--on D]     deadline-extended
 *   close <ref> --reason R --by S [--on D]                                  case-closed
 *   amend <ref> <entry> --file event.json --reason R --by S                 the `correctEvent` update (amend)
 *   withdraw <ref> <entry> --reason R --by S                                the `correctEvent` update (withdraw)
 *   show <ref> [--json] [--audit N]                                         timeline, open/overdue steps, audit trail
 *   holidays apply --date D --name N [--by S] (--all-open | <ref>…)         the `applyHolidays` update
 * A refused command prints the workflow's reason (field and rule) and exits non-zero; nothing changes.
 */
import type { Client } from '@temporalio/client';
import { type Command, InvalidArgumentError } from 'commander';
import type { Holiday, IsoDate } from '../../domain/calendar';
import { basename } from 'node:path';
import {
  CLOSURE_REASONS,
  CORRECTION_REASONS,
  EXTENSION_REASONS,
  NOT_REQUIRED_REASONS,
  type CaseEvent,
  type CaseEventType,
} from '../../domain/case';
import type { EventCorrection } from '../../domain/case-process';
import { readJsonFile } from '../input-file';
// The case client (the Temporal SDK), the input readers (the holiday loaders) and the event builders are
// imported inside the actions that use them, so the CLI starts without loading them.
import type { CaseCallOptions } from '../cases/case-client';
import { PartialFailureError, UsageError } from '../cases/errors';
import { formatCaseView, formatReceipt, RECENT_AUDIT_ENTRIES } from '../cases/format';
import { printLine, withCpflowClient } from '../connected';
import {
  caseReferenceArgument,
  dateArgument,
  oneOfArgument,
  staffIdArgument,
  stepIdArgument,
  teamIdArgument,
  todayInEngland,
} from '../options';

/** Sends one event to a case and returns what to print. */
export async function caseRecord(
  client: Client,
  caseReference: string,
  event: CaseEvent,
  json: boolean,
  options: CaseCallOptions = {},
): Promise<string> {
  const { checkInDirectory, namedInEvent } = await import('../directory-check');
  await checkInDirectory(namedInEvent(event as unknown as Record<string, unknown>));
  const { recordCaseEvent } = await import('../cases/case-client');
  const receipt = await recordCaseEvent(client, caseReference, event, options);
  return json ? JSON.stringify(receipt, null, 2) : formatReceipt(receipt);
}

/** Reads a case and returns what `case show` prints. */
export async function caseShow(
  client: Client,
  caseReference: string,
  output: { json: boolean; auditEntries?: number },
  options: CaseCallOptions = {},
): Promise<string> {
  const { readCase } = await import('../cases/case-client');
  const view = await readCase(client, caseReference, options);
  if (!output.json) return formatCaseView(view, output.auditEntries ?? RECENT_AUDIT_ENTRIES);
  const open = view.timeline.steps.filter(
    (s) => s.status === 'due' || s.status === 'overdue' || s.status === 'waiting',
  );
  return JSON.stringify(
    {
      status: view.status,
      openSteps: open,
      overdueSteps: open.filter((s) => s.status === 'overdue'),
      timeline: view.timeline,
      audit: view.audit.slice(-(output.auditEntries ?? RECENT_AUDIT_ENTRIES)),
      auditCount: view.audit.length,
    },
    null,
    2,
  );
}

/** A whole number option (`--audit N`). */
function countArgument(label: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError(`${label}: must be a whole number`);
    return n;
  };
}

/** Runs a commander argument parser inside an action, reporting its complaint as a {@link UsageError}. */
function asUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw new UsageError(err.message);
    throw err;
  }
}

/** Sends a convenience-form event and prints the receipt. */
async function send(caseReference: string, event: CaseEvent, json: boolean | undefined): Promise<void> {
  printLine(await withCpflowClient((client) => caseRecord(client, caseReference, event, json === true)));
}

/** Sends a correction and prints the receipt. */
async function correct(caseReference: string, correction: EventCorrection, json: boolean | undefined): Promise<void> {
  const { correctCaseEvent } = await import('../cases/case-client');
  const receipt = await withCpflowClient((client) => correctCaseEvent(client, caseReference, correction));
  printLine(json === true ? JSON.stringify(receipt, null, 2) : formatReceipt(receipt));
}

/** The event type a correction file names (its `type` field). */
async function readEventType(path: string): Promise<CaseEventType> {
  const { parseEventType } = await import('../cases/inputs');
  const data = readJsonFile(path);
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') throw new UsageError(`${basename(path)}: type: must name the event type`);
  return parseEventType(type);
}

interface RecordedOptions {
  by: string;
  on?: IsoDate;
  json?: boolean;
}

/** Registers the `case` command group. */
export function registerCaseCommands(program: Command): void {
  const kase = program
    .command('case')
    .description('practitioners: record events on a case, read it, apply new holidays');
  // Identifiers and reasons are checked in the actions, not by commander, whose message would echo the value
  // (a mistyped name must not be repeated back into terminals and logs).
  const ref = (value: string) => asUsageError(() => caseReferenceArgument('case reference')(value));
  const staff = (value: string, label: string) => asUsageError(() => staffIdArgument(label)(value));
  const optionalStaff = (value: string | undefined, label: string) =>
    value === undefined ? undefined : staff(value, label);
  const reason = <T extends readonly string[]>(values: T, value: string) =>
    asUsageError(() => oneOfArgument(values, '--reason')(value));
  const withRecorded = (command: Command, byRequired: boolean) => {
    const by = '--by <staff-id>';
    const byHelp = 'staff id of who records it, e.g. sw-0042';
    (byRequired ? command.requiredOption(by, byHelp) : command.option(by, byHelp))
      .option('--on <date>', 'date it happened (default: today in England)', dateArgument('--on'))
      .option('--json', 'print the receipt as JSON');
    return command;
  };

  withRecorded(
    kase
      .command('record')
      .description('record an event on a case (the recordEvent update); the event type fills the file\'s "type"')
      .argument('<ref>', 'case reference, e.g. CP-2026-000123')
      .argument('<event-type>', 'event type, e.g. strategy-discussion (see examples/events/)')
      .requiredOption('--file <path>', "the event's fields as JSON"),
    false,
  ).action(
    async (
      caseReference: string,
      eventType: string,
      options: Omit<RecordedOptions, 'by'> & { by?: string; file: string },
    ) => {
      const { parseEventType, readEventFile } = await import('../cases/inputs');
      const event = readEventFile(options.file, parseEventType(eventType), {
        overrides: { occurredOn: options.on, recordedBy: optionalStaff(options.by, '--by') },
        defaults: { occurredOn: todayInEngland() },
      });
      await send(ref(caseReference), event, options.json);
    },
  );

  withRecorded(
    kase
      .command('reassign')
      .description('move the case to another practitioner (and team)')
      .argument('<ref>', 'case reference')
      .requiredOption('--to <staff-id>', 'the new practitioner')
      .option('--team <team-id>', 'the new team, if it changes'),
    true,
  ).action(async (caseReference: string, options: RecordedOptions & { to: string; team?: string }) => {
    const team =
      options.team === undefined ? undefined : asUsageError(() => teamIdArgument('--team')(options.team ?? ''));
    const { reassignmentEvent } = await import('../cases/command-events');
    const event = reassignmentEvent({
      by: staff(options.by, '--by'),
      on: options.on ?? todayInEngland(),
      to: staff(options.to, '--to'),
      ...(team !== undefined ? { team } : {}),
    });
    await send(ref(caseReference), event, options.json);
  });

  withRecorded(
    kase
      .command('not-required')
      .description('mark a step not required, with the reason')
      .argument('<ref>', 'case reference')
      .argument('<step>', 'step id, e.g. partner-interview or visit-3')
      .requiredOption('--reason <reason>', `one of: ${NOT_REQUIRED_REASONS.join(', ')}`),
    true,
  ).action(async (caseReference: string, stepId: string, options: RecordedOptions & { reason: string }) => {
    const { notRequiredEvent } = await import('../cases/command-events');
    const event = notRequiredEvent({
      by: staff(options.by, '--by'),
      on: options.on ?? todayInEngland(),
      stepId: asUsageError(() => stepIdArgument('step')(stepId)),
      reason: reason(NOT_REQUIRED_REASONS, options.reason),
    });
    await send(ref(caseReference), event, options.json);
  });

  withRecorded(
    kase
      .command('extend')
      .description("extend a step's deadline, agreed by a manager")
      .argument('<ref>', 'case reference')
      .argument('<step>', 'step id')
      .requiredOption('--to <date>', 'the new due date (YYYY-MM-DD)', dateArgument('--to'))
      .requiredOption('--reason <reason>', `one of: ${EXTENSION_REASONS.join(', ')}`)
      .requiredOption('--agreed-by <staff-id>', 'the manager who agreed it'),
    true,
  ).action(
    async (
      caseReference: string,
      stepId: string,
      options: RecordedOptions & { to: IsoDate; reason: string; agreedBy: string },
    ) => {
      const { extensionEvent } = await import('../cases/command-events');
      const event = extensionEvent({
        by: staff(options.by, '--by'),
        on: options.on ?? todayInEngland(),
        stepId: asUsageError(() => stepIdArgument('step')(stepId)),
        to: options.to,
        reason: reason(EXTENSION_REASONS, options.reason),
        agreedBy: staff(options.agreedBy, '--agreed-by'),
      });
      await send(ref(caseReference), event, options.json);
    },
  );

  withRecorded(
    kase
      .command('close')
      .description('close the case, with the reason (census ReasonForClosure)')
      .argument('<ref>', 'case reference')
      .requiredOption('--reason <reason>', `one of: ${CLOSURE_REASONS.join(', ')}`),
    true,
  ).action(async (caseReference: string, options: RecordedOptions & { reason: string }) => {
    const { closureEvent } = await import('../cases/command-events');
    const event = closureEvent({
      by: staff(options.by, '--by'),
      on: options.on ?? todayInEngland(),
      reason: reason(CLOSURE_REASONS, options.reason),
    });
    await send(ref(caseReference), event, options.json);
  });

  kase
    .command('amend')
    .description('correct a recorded event: the event as it should have been recorded replaces it')
    .argument('<ref>', 'case reference')
    .argument('<entry>', 'audit position of the event (case show lists them)', countArgument('entry'))
    .requiredOption('--file <path>', 'the corrected event as JSON (its type must be the same)')
    .requiredOption('--reason <reason>', `one of: ${CORRECTION_REASONS.join(', ')}`)
    .requiredOption('--by <staff-id>', 'staff id of who corrects it')
    .option('--json', 'print the receipt as JSON')
    .action(
      async (
        caseReference: string,
        entry: number,
        options: { file: string; reason: string; by: string; json?: boolean },
      ) => {
        const { readEventFile } = await import('../cases/inputs');
        const event = readEventFile(options.file, await readEventType(options.file));
        await correct(
          ref(caseReference),
          {
            seq: entry,
            action: 'amend',
            reason: reason(CORRECTION_REASONS, options.reason),
            recordedBy: staff(options.by, '--by'),
            event,
          },
          options.json,
        );
      },
    );

  kase
    .command('withdraw')
    .description('withdraw an event recorded in error (it stays in the audit trail)')
    .argument('<ref>', 'case reference')
    .argument('<entry>', 'audit position of the event (case show lists them)', countArgument('entry'))
    .requiredOption('--reason <reason>', `one of: ${CORRECTION_REASONS.join(', ')}`)
    .requiredOption('--by <staff-id>', 'staff id of who withdraws it')
    .option('--json', 'print the receipt as JSON')
    .action(async (caseReference: string, entry: number, options: { reason: string; by: string; json?: boolean }) => {
      await correct(
        ref(caseReference),
        {
          seq: entry,
          action: 'withdraw',
          reason: reason(CORRECTION_REASONS, options.reason),
          recordedBy: staff(options.by, '--by'),
        },
        options.json,
      );
    });

  kase
    .command('show')
    .description('show a case: stage, overdue and open steps, the timeline and the recent audit trail')
    .argument('<ref>', 'case reference')
    .option(
      '--audit <n>',
      `how many recent audit entries to show (default ${RECENT_AUDIT_ENTRIES})`,
      countArgument('--audit'),
    )
    .option('--json', 'print JSON')
    .action(async (caseReference: string, options: { json?: boolean; audit?: number }) => {
      const output = await withCpflowClient((client) =>
        caseShow(client, ref(caseReference), {
          json: options.json === true,
          ...(options.audit !== undefined ? { auditEntries: options.audit } : {}),
        }),
      );
      printLine(output);
    });

  const holidays = kase.command('holidays').description('newly announced holidays');
  holidays
    .command('apply')
    .description('apply a newly announced holiday to running cases: only deadlines still to come move')
    .argument('[refs...]', 'case references (or --all-open)')
    .requiredOption('--date <date>', 'date of the holiday (YYYY-MM-DD)', dateArgument('--date'))
    .requiredOption('--name <name>', 'its published name, e.g. "Bank holiday for the coronation"')
    .option('--all-open', 'every open case (from visibility)')
    .option('--by <staff-id>', 'staff id of who applies it')
    .option('--json', 'print JSON')
    .action(
      async (
        refs: string[],
        options: { date: IsoDate; name: string; allOpen?: boolean; by?: string; json?: boolean },
      ) => {
        const { applyHolidayToCases, formatHolidayApplications, holidayTargets } =
          await import('../cases/apply-holidays');
        const references = refs.map(ref);
        const by = optionalStaff(options.by, '--by');
        const targets = holidayTargets(options.allOpen === true, references);
        if (options.name.trim() === '') throw new UsageError('--name: must not be empty');
        const holiday: Holiday = { date: options.date, name: options.name.trim(), source: 'announced' };
        const results = await withCpflowClient((client) => applyHolidayToCases(client, holiday, targets, by));
        printLine(
          options.json === true
            ? JSON.stringify({ holiday, results }, null, 2)
            : formatHolidayApplications(holiday, results),
        );
        const failed = results.filter((r) => r.outcome === 'failed').length;
        if (failed > 0)
          throw new PartialFailureError(`the holiday was not applied to ${failed} of ${results.length} case(s)`);
      },
    );
}
