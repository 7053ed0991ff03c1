/**
 * Runs once before the test files: provisions Temporal's dev server and time-skipping test server
 * (temporal-servers/), so that on a fresh clone `npm test` installs what it needs, printing progress, before
 * any test starts a server.
 */
import { provisionTemporalServers } from '../../temporal-servers';

export default async function setup(): Promise<void> {
  const servers = await provisionTemporalServers({ log: (line) => process.stdout.write(`${line}\n`) });
  for (const server of Object.values(servers)) process.stdout.write(`Tests use: ${server.description}\n`);
}
