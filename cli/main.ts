/**
 * The `cpflow` command line. Each command group lives in its own file under `cli/commands/` and
 * registers itself on the program here; this file only wires them together and maps errors to exit codes.
 */
import { Command, CommanderError } from 'commander';
import { registerCalendarCommands } from './commands/calendar';
import { registerCaseCommands } from './commands/case';
import { registerMailCommands } from './commands/mail';
import { registerOverdueCommands } from './commands/overdue';
import { registerPlanCommands } from './commands/plan';
import { registerReferralCommands } from './commands/referral';
import { registerSimulateCommands } from './commands/simulate';

/**
 * Commander's own errors without what was typed: it quotes a refused argument, an unknown option or command, and
 * whatever was typed could be a name. The option's own name and our rule stay.
 */
export function withoutTypedValues(text: string): string {
  return text
    .replace(/argument '(?:[^'\\]|\\.)*' is invalid\./g, 'argument is invalid.')
    .replace(/unknown option '[^']*'/g, 'unknown option')
    .replace(/unknown command '[^']*'/g, 'unknown command')
    .replace(
      /too many arguments(?: for '[^']*')?\. Expected (\d+) arguments? but got \d+\./g,
      'too many arguments (expected $1).',
    );
}

/** Builds the cpflow program with every command group registered. */
export function buildProgram(): Command {
  const program = new Command('cpflow')
    .description('Durable child-protection procedure orchestration on Temporal')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(withoutTypedValues(text)) });
  // Command groups register themselves below, one line each.
  registerCalendarCommands(program);
  registerMailCommands(program);
  registerPlanCommands(program);
  registerReferralCommands(program);
  registerCaseCommands(program);
  registerOverdueCommands(program);
  registerSimulateCommands(program);
  return program;
}

/** Runs the CLI with the given argv and returns the process exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`cpflow: ${message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`cpflow: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
