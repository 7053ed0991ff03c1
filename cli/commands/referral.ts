/**
 * `cpflow referral create --file referral.json [--received-on DATE] [--policy NAME|PATH] [--json]` (duty team): validates the
 * referral, loads the policy and holidays, opens the case (workflow id = case reference) and prints its
 * deadlines. Validation happens before connecting; every error names the field and the rule.
 */
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { DEFAULT_POLICY_NAME } from '../../config/locations';
import type { CaseCallOptions, OpenCaseInput, OpenedCase } from '../cases/case-client';
import { printLine, withCpflowClient } from '../connected';

/** Options of `referral create`. */
export interface ReferralCreateOptions {
  readonly file: string;
  /** Date the referral was received (YYYY-MM-DD), instead of the file's `receivedOn`. */
  readonly receivedOn?: string;
  /** Policy name (under config/policies/) or path to a JSON policy. */
  readonly policy: string;
  readonly json?: boolean;
}

/** The validated inputs of `referral create`, ready to open a case. */
export async function prepareReferral(
  options: Pick<ReferralCreateOptions, 'file' | 'policy' | 'receivedOn'>,
): Promise<OpenCaseInput> {
  // Schemas, policy and holidays load when the command runs, so `--help` and the other commands start fast.
  const { caseCalendarData, readReferralFile } = await import('../cases/inputs');
  const referral = readReferralFile(options.file, options.receivedOn);
  const { checkInDirectory } = await import('../directory-check');
  await checkInDirectory({
    staff: [['practitionerId', referral.practitionerId]],
    teams: [['teamId', referral.teamId]],
  });
  const { loadPolicy } = await import('../../config/policy-loader');
  const policy = loadPolicy(options.policy);
  return { referral, policy, calendar: caseCalendarData(referral.receivedOn) };
}

/** Opens the case from prepared inputs and returns it with what to print (JSON or table). */
export async function referralCreate(
  client: Client,
  input: OpenCaseInput,
  json: boolean,
  callOptions: CaseCallOptions = {},
): Promise<{ opened: OpenedCase; output: string }> {
  const { openCase } = await import('../cases/case-client');
  const { formatOpenedCase } = await import('../cases/format');
  const opened = await openCase(client, input, callOptions);
  const output = json
    ? JSON.stringify(
        {
          caseReference: opened.caseReference,
          runId: opened.runId,
          policy: opened.timeline.policyId,
          teamId: input.referral.teamId,
          practitionerId: input.referral.practitionerId,
          timeline: opened.timeline,
        },
        null,
        2,
      )
    : formatOpenedCase(opened, input.referral.teamId, input.referral.practitionerId);
  return { opened, output };
}

/** Registers the `referral` command group. */
export function registerReferralCommands(program: Command): void {
  const referral = program.command('referral').description('duty team: open a case from a referral');
  referral
    .command('create')
    .description("validate a referral, open its case (workflow id = case reference) and print the case's deadlines")
    .requiredOption('--file <path>', 'the referral as JSON (see examples/referral.json)')
    .option('--received-on <date>', "date the referral was received, YYYY-MM-DD (default: the file's receivedOn)")
    .option(
      '--policy <name|path>',
      'local procedure policy: a name under config/policies/ or a JSON file',
      DEFAULT_POLICY_NAME,
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (options: ReferralCreateOptions) => {
      const input = await prepareReferral(options); // bad input is refused before connecting
      const { output } = await withCpflowClient((client) => referralCreate(client, input, options.json === true));
      printLine(output);
    });
}
