/**
 * `cpflow overdue [--team T] [--today D] [--json]` (managers): every overdue step across open cases, most
 * overdue first — answered from Temporal visibility (the cases' search attributes), not by asking each case.
 * Columns: case reference, team, assignee, step, due date, working days overdue.
 */
import type { Command } from 'commander';
import type { IsoDate } from '../../domain/calendar';
import { printLine, withCpflowClient } from '../connected';
import { dateArgument, teamIdArgument, todayInEngland } from '../options';

/** Registers `cpflow overdue`. */
export function registerOverdueCommands(program: Command): void {
  program
    .command('overdue')
    .description('list every overdue step across open cases, most overdue first (from visibility)')
    .option('--team <team-id>', 'only cases of this team, e.g. team-north', teamIdArgument('--team'))
    .option(
      '--today <date>',
      'count working days overdue up to this date (default: today in England)',
      dateArgument('--today'),
    )
    .option('--json', 'print JSON')
    .action(async (options: { team?: string; today?: IsoDate; json?: boolean }) => {
      const today = options.today ?? todayInEngland();
      const { formatOverdueTable, listOverdueSteps } = await import('../cases/overdue');
      const listing = await withCpflowClient((client) =>
        listOverdueSteps(client, { today, ...(options.team !== undefined ? { team: options.team } : {}) }),
      );
      printLine(options.json === true ? JSON.stringify(listing, null, 2) : formatOverdueTable(listing));
      for (const bad of listing.unreadable) {
        process.stderr.write(
          `cpflow: warning: case ${bad.caseReference} publishes an unreadable step value (not stepId@YYYY-MM-DD)\n`,
        );
      }
    });
}
