/**
 * `npm start`: runs the cpflow worker, with Temporal's dev server embedded and a local SMTP sink unless
 * TEMPORAL_ADDRESS / SMTP_HOST point elsewhere. Ctrl-C (SIGINT) or SIGTERM stops everything; exit code 0.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { cpflowDataDir } from '../client/data-dir';
import { startCpflow } from './app';

/**
 * One Ctrl-C reaches this process more than once: the terminal signals the whole process group and npm forwards
 * the signal it got too. Repeats within this window are the same Ctrl-C; a later one forces the exit.
 */
const SAME_SIGNAL_WINDOW_MS = 2000;

async function main(): Promise<number> {
  // Our own signal handling stops the worker; keep the SDK's logs to warnings and above.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const shutdown: { requestedAt?: number; stop?: () => void } = {};
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (shutdown.requestedAt !== undefined) {
      if (now - shutdown.requestedAt < SAME_SIGNAL_WINDOW_MS) return;
      log(`Received ${signal} again; exiting without waiting for a clean stop.`);
      process.exit(130);
    }
    log(`Received ${signal}; stopping cpflow (Ctrl-C again to force)...`);
    shutdown.requestedAt = now;
    shutdown.stop?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const running = await startCpflow({ env: process.env, dataDir: cpflowDataDir(), log });
  shutdown.stop = running.stop;
  log(running.summary);
  if (shutdown.requestedAt !== undefined) running.stop();
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
