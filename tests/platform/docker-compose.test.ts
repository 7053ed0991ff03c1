import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../temporal-servers/find-executable';

const repo = path.resolve(__dirname, '../..');
const dockerCompose = findOnPath('docker-compose');
if (!dockerCompose) {
  console.log(
    'docker-compose.yml validation skipped: the docker-compose binary is not on the PATH ' +
      '(install it with `apt-get install -y docker-compose`; .ci/run does so when it can).',
  );
}

/** Runs `docker-compose config` (no Docker engine needed) with a clean environment. */
function composeConfig(...args: string[]): string {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return execFileSync(dockerCompose ?? 'docker-compose', ['-f', 'docker-compose.yml', 'config', ...args], {
    cwd: repo,
    env,
    encoding: 'utf8',
  });
}

describe('docker-compose.yml', () => {
  it.skipIf(!dockerCompose)('is valid and runs the worker against the Temporal service with SMTP settings', () => {
    const services = composeConfig('--services').trim().split('\n').sort();
    expect(services).toEqual([
      'cpflow-worker',
      'mailpit',
      'postgresql',
      'temporal',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
    ]);
    const config = composeConfig();
    expect(config).toContain('TEMPORAL_ADDRESS: temporal:7233');
    expect(config).toContain('SMTP_HOST: mailpit');
    expect(config).toMatch(/MAIL_FROM: cpflow <cpflow@cpflow\.test>/);
    expect(config).toContain('image: temporalio/server:');
  });
});
