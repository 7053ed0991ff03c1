/**
 * `cpflow simulate scenario.json [--json]` (anyone): runs a scenario (docs/scenarios.md) on Temporal's
 * time-skipping test server with cpflow's real workflows, and prints every reminder, escalation, LADO
 * referral, stage change and email in virtual-time order. Needs no running cpflow: it starts its own server.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { readJsonFile } from '../input-file';
import { printLine } from '../connected';
import type { SimulationReport } from '../../simulation';

/** Reads, validates and runs a scenario file. */
export async function simulateFile(path: string): Promise<SimulationReport> {
  // The simulator brings the Temporal worker, the test server and webpack: loaded only by this command.
  const { parseScenario, runScenario } = await import('../../simulation');
  const scenario = parseScenario(readJsonFile(path), basename(path));
  return runScenario(scenario, { baseDir: dirname(resolve(path)) });
}

/** Registers `cpflow simulate`. */
export function registerSimulateCommands(program: Command): void {
  program
    .command('simulate')
    .description("run a scenario on Temporal's time-skipping test server and print what happened, in virtual time")
    .argument('<scenario>', 'scenario file (see docs/scenarios.md and examples/scenarios/)')
    .option('--json', 'print JSON')
    .action(async (path: string, options: { json?: boolean }) => {
      const report = await simulateFile(path);
      const { formatSimulationReport } = await import('../../simulation');
      printLine(options.json === true ? JSON.stringify(report, null, 2) : formatSimulationReport(report));
    });
}
