/**
 * `npm run worker`: one more cpflow worker process on the same task queue (see startAdditionalWorker in
 * ./app.ts). Ctrl-C (SIGINT) or SIGTERM stops it; exit code 0.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { cpflowDataDir } from '../client/data-dir';
import { startAdditionalWorker } from './app';
import { runProcess } from './run-process';
import { onStopSignals } from './stop-signals';

async function main(): Promise<number> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const stopping = onStopSignals(log, 'the worker');
  const running = await startAdditionalWorker({ env: process.env, dataDir: cpflowDataDir(), log });
  stopping.whenAsked(running.stop);
  log(running.summary);
  await running.finished;
  log('cpflow worker stopped.');
  return 0;
}

runProcess(main);
