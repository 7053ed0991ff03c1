/** Runs a build tool (go, mvn) with progress lines while it works, keeping the tail of its output for errors. */
import { spawn } from 'node:child_process';
import { ProvisioningError } from './errors';

/** Options of {@link runTool}. */
export interface RunToolOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** What is being done, for progress lines ("Building the temporal CLI v1.5.1"). */
  readonly what: string;
  readonly log: (line: string) => void;
  /** Seconds between "still working" lines (default 30). */
  readonly progressEverySeconds?: number;
}

/** Runs the command to completion; rejects with {@link ProvisioningError} naming the command and its last output. */
export function runTool(options: RunToolOptions): Promise<void> {
  const { command, args, env, cwd, what, log, progressEverySeconds = 30 } = options;
  const started = Date.now();
  let tail = '';
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const progress = setInterval(() => {
      log(`  ... ${what}: ${Math.round((Date.now() - started) / 1000)} s so far`);
    }, progressEverySeconds * 1000);
    const commandLine = [command, ...args].join(' ');
    child.once('error', (err) => {
      clearInterval(progress);
      reject(new ProvisioningError(`${what}: could not run \`${commandLine}\`: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearInterval(progress);
      if (code === 0) {
        log(`  ${what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
        resolve();
        return;
      }
      const lastLines = tail.trim().split('\n').slice(-15).join('\n');
      reject(
        new ProvisioningError(
          `${what} failed: \`${commandLine}\` exited with ${signal ?? `code ${code}`}:\n${lastLines}`,
        ),
      );
    });
  });
}
