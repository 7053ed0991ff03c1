/**
 * `npm start`: runs the cpflow worker, with an embedded Temporal and a local SMTP sink unless
 * TEMPORAL_ADDRESS / SMTP_HOST point elsewhere. Ctrl-C (SIGINT) or SIGTERM stops everything; exit code 0.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { cpflowDataDir } from '../client/data-dir';
import { startCpflow } from './app';

async function main(): Promise<number> {
  // Our own signal handling stops the worker; keep the SDK's logs to warnings and above.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const shutdown: { requested: boolean; stop?: () => void } = { requested: false };
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.requested) {
      log(`Received ${signal} again; exiting without waiting for a clean stop.`);
      process.exit(130);
    }
    log(`Received ${signal}; stopping cpflow (Ctrl-C again to force)...`);
    shutdown.requested = true;
    shutdown.stop?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const running = await startCpflow({ env: process.env, dataDir: cpflowDataDir(), log });
  shutdown.stop = running.stop;
  log(running.summary);
  if (shutdown.requested) running.stop();
  await running.finished;
  log('cpflow stopped.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cpflow: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
