import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const scratch = mkdtempSync(path.join(tmpdir(), 'cpflow-compose-'));
/** An empty env file, so a developer's own `.env` beside the compose file cannot supply what the tests leave out. */
const emptyEnvFile = path.join(scratch, 'empty.env');
writeFileSync(emptyEnvFile, '');
const keyFile = path.join(scratch, 'payload-keys.json');
writeFileSync(keyFile, '{}', { mode: 0o600 });

/** What an operator must set: without any one of them, `docker-compose config` refuses the file. */
const REQUIRED: Record<string, string> = {
  POSTGRES_PASSWORD: 'postgres-test-password',
  CPFLOW_DB_PASSWORD: 'cpflow-test-password',
  CPFLOW_PAYLOAD_KEYS_FILE: keyFile,
  CPFLOW_OIDC_ISSUER: 'https://login.council.example',
  CPFLOW_OIDC_CLIENT_ID: 'cpflow',
  CPFLOW_OIDC_CLIENT_SECRET: 'client-secret-for-tests',
  SMTP_TLS: 'required',
};

/** Runs `docker-compose config` (no Docker engine needed) with a clean environment plus `env`. */
function composeConfig(env: Record<string, string>, ...args: string[]) {
  return spawnSync(
    dockerCompose ?? 'docker-compose',
    ['--env-file', emptyEnvFile, '-f', 'docker-compose.yml', 'config', ...args],
    { cwd: repo, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8' },
  );
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: (string | { host_ip?: string; published?: number | string })[];
  healthcheck?: unknown;
  secrets?: (string | { source: string })[];
}

/**
 * The resolved configuration as an object. Debian's docker-compose is written in Python on PyYAML, so the same
 * Python reads its output back as JSON (no YAML parser among the project's own dependencies).
 */
function resolvedConfig(env: Record<string, string>): { services: Record<string, ComposeService> } {
  const run = composeConfig(env);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const json = execFileSync(
    'python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: run.stdout, encoding: 'utf8' },
  );
  return JSON.parse(json) as { services: Record<string, ComposeService> };
}

describe.skipIf(!dockerCompose)('docker-compose.yml', () => {
  it('is valid and runs cpflow against the Temporal service with SMTP settings', () => {
    const services = composeConfig(REQUIRED, '--services').stdout.trim().split('\n').sort();
    expect(services).toEqual([
      'cpflow',
      'cpflow-database',
      'cpflow-worker-2',
      'mailpit',
      'postgresql',
      'temporal',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
    ]);
    const config = resolvedConfig(REQUIRED).services;
    expect(config.cpflow.environment).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_HOST: 'mailpit',
      MAIL_FROM: 'cpflow <cpflow@cpflow.test>',
    });
    expect(config.temporal.image).toMatch(/^temporalio\/server:/);
  });

  it('pins every image to an exact version: no latest, no untagged image, no version left to the environment', () => {
    const config = resolvedConfig(REQUIRED).services;
    for (const [name, service] of Object.entries(config)) {
      expect(service.image, name).toBeDefined();
      const tag = /^[^:]+:([^:@]+)$/.exec(service.image ?? '')?.[1];
      expect(tag, `${name}: ${service.image}`).toBeDefined();
      expect(tag, `${name}: ${service.image}`).not.toBe('latest');
      // An exact version has a patch number (1.29.1, 16.10 for PostgreSQL's minor releases, v1.22.3).
      expect(tag, `${name}: ${service.image}`).toMatch(/^v?\d+\.\d+(\.\d+)?([-.][\w.-]+)?$/);
    }
    // The same file gives the same images whatever the environment says.
    const overridden = resolvedConfig({
      ...REQUIRED,
      TEMPORAL_VERSION: 'latest',
      TEMPORAL_UI_VERSION: 'latest',
      POSTGRESQL_VERSION: 'latest',
      MAILPIT_VERSION: 'latest',
    }).services;
    for (const [name, service] of Object.entries(overridden)) expect(service.image).toBe(config[name].image);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const config = resolvedConfig(REQUIRED).services;
    const published = Object.entries(config).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => ({ name, port })),
    );
    expect(published.map(({ name }) => name).sort()).toEqual(['cpflow', 'mailpit', 'temporal', 'temporal-ui']);
    for (const { name, port } of published) {
      if (typeof port === 'string') expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+(\/tcp)?$/);
      else expect(port.host_ip, name).toBe('127.0.0.1');
    }
    // PostgreSQL is reached by the services on their network only.
    expect(config.postgresql.ports).toBeUndefined();
  });

  it.each(Object.keys(REQUIRED))('refuses to configure anything without %s, naming it', (variable) => {
    const env = { ...REQUIRED };
    delete env[variable];
    const run = composeConfig(env);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`set ${variable}`);
    // The message shows the file's text, never the value of a secret that was set.
    for (const secret of ['POSTGRES_PASSWORD', 'CPFLOW_DB_PASSWORD', 'CPFLOW_OIDC_CLIENT_SECRET']) {
      if (env[secret] !== undefined) expect(run.stderr).not.toContain(env[secret]);
    }
  });

  it('runs two cpflow workers sharing the Temporal service, the payload keys and one PostgreSQL sent log', () => {
    const config = resolvedConfig(REQUIRED).services;
    const workers = Object.entries(config).filter(([, service]) => service.image?.startsWith('cpflow:'));
    expect(workers.map(([name, service]) => [name, service.command?.join(' ')])).toEqual([
      ['cpflow', 'npm start'],
      ['cpflow-worker-2', 'npm run worker'],
    ]);
    for (const [name, worker] of workers) {
      expect(worker.environment, name).toMatchObject({
        TEMPORAL_ADDRESS: 'temporal:7233',
        CPFLOW_PAYLOAD_KEYS_FILE: '/run/secrets/cpflow-payload-keys',
        CPFLOW_SENT_LOG_URL: 'postgres://cpflow:cpflow-test-password@postgresql:5432/cpflow',
      });
      expect(
        worker.secrets?.map((s) => (typeof s === 'string' ? s : s.source)),
        name,
      ).toEqual(['cpflow-payload-keys']);
    }
    // Neither the PostgreSQL superuser's password nor the key set itself is handed to cpflow.
    for (const [, worker] of workers) {
      expect(JSON.stringify(worker.environment)).not.toContain('postgres-test-password');
      expect(worker.environment?.CPFLOW_PAYLOAD_KEYS).toBeUndefined();
    }
  });

  it("wires the Temporal UI's codec endpoint to cpflow's /codec, with the sign-in cookie, and checks health", () => {
    const config = resolvedConfig(REQUIRED).services;
    expect(config['temporal-ui'].environment).toMatchObject({
      TEMPORAL_CODEC_ENDPOINT: 'http://127.0.0.1:8081/codec',
      TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true',
      TEMPORAL_DISABLE_WRITE_ACTIONS: 'true',
    });
    // cpflow allows the UI's origin to call the endpoint (CORS).
    expect(config.cpflow.environment?.CPFLOW_TEMPORAL_UI_URL).toBe('http://127.0.0.1:8080');
    const elsewhere = resolvedConfig({ ...REQUIRED, CPFLOW_WEB_URL: 'https://cpflow.council.example' }).services;
    expect(elsewhere['temporal-ui'].environment?.TEMPORAL_CODEC_ENDPOINT).toBe('https://cpflow.council.example/codec');
    for (const name of ['postgresql', 'temporal', 'cpflow']) expect(config[name].healthcheck, name).toBeDefined();
  });
});
