/**
 * `npm start`: runs the cpflow worker, with Temporal's dev server embedded and a local SMTP sink unless
 * TEMPORAL_ADDRESS / SMTP_HOST point elsewhere. Ctrl-C (SIGINT) or SIGTERM stops everything; exit code 0.
 */
import { cpflowDataDir } from '../client/data-dir';
import { installObservability } from '../observability/process';
import { startCpflow } from './app';
import { runProcess } from './run-process';
import { onStopSignals } from './stop-signals';

async function main(): Promise<number> {
  // JSON log lines on stdout from here on (observability/logger.ts), the SDK's included.
  const observability = await installObservability(process.env, 'cpflow');
  const log = (line: string) => observability.logger.info(line);
  const stopping = onStopSignals(log, 'cpflow');
  const running = await startCpflow({ env: process.env, dataDir: cpflowDataDir(), log, observability });
  // The summary is for the person at the terminal (addresses, how to sign in): plain text, never a log line.
  process.stdout.write(`${running.summary}\n`);
  stopping.whenAsked(running.stop);
  await running.finished;
  await observability.shutdown();
  log('cpflow stopped.');
  return 0;
}

runProcess(main);
