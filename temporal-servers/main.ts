/** `npm run provision`: installs (or finds) Temporal's dev server and time-skipping test server, and says where. */
import { provisionTemporalServers, ProvisioningError } from './index';

provisionTemporalServers().then(
  (servers) => {
    for (const server of Object.values(servers)) process.stdout.write(`${server.description}\n`);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof ProvisioningError ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
