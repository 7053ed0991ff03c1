/**
 * Runs once before the test files: provisions Temporal's dev server and time-skipping test server
 * (temporal-servers/) and Debian's Chromium for the browser tests, so that on a fresh clone `npm test` installs
 * what it needs, printing progress, before any test starts a server.
 */
import { provisionTemporalServers } from '../../temporal-servers';
import { CHROMIUM_ENV, provisionChromium } from './browser';
import { ensureCliBuilt } from './cli-build';

export default async function setup(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  // CLI tests run the compiled CLI, as users do: rebuilt first when a source changed since the last build.
  ensureCliBuilt(log);
  const servers = await provisionTemporalServers({ log });
  for (const server of Object.values(servers)) log(`Tests use: ${server.description}`);
  const chromium = provisionChromium(log);
  // The test processes start after this and inherit it: the browser's path, or why the browser tests cannot run.
  process.env[CHROMIUM_ENV] = chromium.path ?? `none: ${chromium.why ?? 'unknown'}`;
  log(`Browser tests use: ${chromium.path ?? `nothing (${chromium.why ?? 'unknown'})`}`);
}
