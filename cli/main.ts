/**
 * The `cpflow` command line. Each command group lives in its own file under `cli/commands/` and
 * registers itself on the program here; this file only wires them together and maps errors to exit codes.
 */
import { Command, CommanderError } from 'commander';

type Register = (program: Command) => void;

/**
 * The command groups, in the order help lists them. Each is loaded only when needed: a command loads its own
 * group's file (and what that imports), not the others'.
 */
const COMMAND_GROUPS: Record<string, () => Promise<Register>> = {
  calendar: async () => (await import('./commands/calendar')).registerCalendarCommands,
  mail: async () => (await import('./commands/mail')).registerMailCommands,
  plan: async () => (await import('./commands/plan')).registerPlanCommands,
  referral: async () => (await import('./commands/referral')).registerReferralCommands,
  case: async () => (await import('./commands/case')).registerCaseCommands,
  overdue: async () => (await import('./commands/overdue')).registerOverdueCommands,
  simulate: async () => (await import('./commands/simulate')).registerSimulateCommands,
};

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

/**
 * Builds the cpflow program for `argv`: with only the command group its first word names, or with every group
 * when it names none (help, no command, a mistyped command), so that help lists them all.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('cpflow')
    .description('Durable child-protection procedure orchestration on Temporal')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(withoutTypedValues(text)) });
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const groups = named !== undefined && Object.hasOwn(COMMAND_GROUPS, named) ? [named] : Object.keys(COMMAND_GROUPS);
  for (const group of groups) (await COMMAND_GROUPS[group]())(program);
  return program;
}

/** Runs the CLI with the given argv and returns the process exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = await buildProgram(argv);
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
