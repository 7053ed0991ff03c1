/**
 * `npm run worker`: one more cpflow worker process on the same task queue (see startAdditionalWorker in
 * ./app.ts). Ctrl-C (SIGINT) or SIGTERM stops it; exit code 0.
 */
import { cpflowDataDir } from '../client/data-dir';
import { installObservability } from '../observability/process';
import { startAdditionalWorker } from './app';
import { runProcess } from './run-process';
import { onStopSignals } from './stop-signals';

async function main(): Promise<number> {
  const observability = await installObservability(process.env, 'cpflow-worker');
  const log = (line: string) => observability.logger.info(line);
  const stopping = onStopSignals(log, 'the worker');
  const running = await startAdditionalWorker({ env: process.env, dataDir: cpflowDataDir(), log, observability });
  stopping.whenAsked(running.stop);
  process.stdout.write(`${running.summary}\n`);
  await running.finished;
  await observability.shutdown();
  log('cpflow worker stopped.');
  return 0;
}

runProcess(main);
