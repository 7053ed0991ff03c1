/**
 * `npm start`: runs the cpflow worker, with Temporal's dev server embedded and a local SMTP sink unless
 * TEMPORAL_ADDRESS / SMTP_HOST point elsewhere. Ctrl-C (SIGINT) or SIGTERM stops everything; exit code 0.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { cpflowDataDir } from '../client/data-dir';
import { startCpflow } from './app';
import { runProcess } from './run-process';
import { onStopSignals } from './stop-signals';

async function main(): Promise<number> {
  // Our own signal handling stops the worker; keep the SDK's logs to warnings and above.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const stopping = onStopSignals(log, 'cpflow');
  const running = await startCpflow({ env: process.env, dataDir: cpflowDataDir(), log });
  log(running.summary);
  stopping.whenAsked(running.stop);
  await running.finished;
  log('cpflow stopped.');
  return 0;
}

runProcess(main);
