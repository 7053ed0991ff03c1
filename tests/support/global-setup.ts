/**
 * Runs once before the test files: provisions Temporal's dev server and time-skipping test server
 * (temporal-servers/) and Debian's Chromium for the browser tests, so that on a fresh clone `npm test` installs
 * what it needs, printing progress, before any test starts a server.
 */
import { provisionTemporalServers } from '../../temporal-servers';
import { CHROMIUM_ENV, provisionChromium } from './browser';
import { ensureCliBuilt } from './cli-build';
import { POSTGRES_ENV, startTestPostgres } from './postgres';

export default async function setup(): Promise<() => void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  // CLI tests run the compiled CLI, as users do: rebuilt first when a source changed since the last build.
  ensureCliBuilt(log);
  const servers = await provisionTemporalServers({ log });
  for (const server of Object.values(servers)) log(`Tests use: ${server.description}`);
  const chromium = provisionChromium(log);
  // The test processes start after this and inherit it: the browser's path, or why the browser tests cannot run.
  process.env[CHROMIUM_ENV] = chromium.path ?? `none: ${chromium.why ?? 'unknown'}`;
  log(`Browser tests use: ${chromium.path ?? `nothing (${chromium.why ?? 'unknown'})`}`);
  // The shared sent log's tests: an existing server, else a throwaway cluster from Debian's packages.
  if (process.env[POSTGRES_ENV] !== undefined) return () => undefined;
  const postgres = await startTestPostgres(log);
  process.env[POSTGRES_ENV] = 'url' in postgres ? postgres.url : `none: ${postgres.why}`;
  if (!('url' in postgres)) log(`Sent log tests on PostgreSQL cannot run: ${postgres.why}`);
  return 'stop' in postgres ? postgres.stop : () => undefined;
}
