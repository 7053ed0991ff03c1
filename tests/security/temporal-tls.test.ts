/**
 * Reaching Temporal securely: the client (CLI, web service) and the worker connect over TLS with the server's CA,
 * present a client certificate where the server asks for one (mTLS), or send an API key; settings that cannot be
 * used are refused naming the variable. A TLS front (as a cluster's or Temporal Cloud's endpoint would be) that
 * demands a client certificate stands in front of Temporal's dev server, so the connection is the real one.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOptionsOf, readTemporalSecurity, TemporalSettingsError } from '../../client/temporal-settings';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { thrownBy } from '../support/thrown';

const temporal = useTestEnvironment({ create: () => createDevServerEnvironment() });
let dir: string;
let front: tls.Server;
let frontAddress: string;
const pem = (name: string) => path.join(dir, name);

/** A CA, a server certificate for `temporal.test` and a client certificate, made with openssl. */
function makeCertificates(): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) => run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name);
  key('ca.key');
  run('req', '-x509', '-new', '-key', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=cpflow test CA');
  for (const [name, ext] of [
    ['server', 'subjectAltName=DNS:temporal.test\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    key(`${name}.key`);
    run('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(pem(`${name}.ext`), `basicConstraints=CA:FALSE\n${ext}\n`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    );
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-tls-'));
  makeCertificates();
  const [host, port] = temporal().address.split(':');
  // The TLS front: requires a client certificate signed by the CA, then passes the HTTP/2 stream to the server.
  front = tls.createServer(
    {
      key: readFileSync(pem('server.key')),
      cert: readFileSync(pem('server.pem')),
      ca: readFileSync(pem('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const upstream = net.connect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  front.on('tlsClientError', () => undefined);
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  frontAddress = `127.0.0.1:${(front.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  front?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const mtls = () => ({
  TEMPORAL_TLS_CA_FILE: pem('ca.pem'),
  TEMPORAL_TLS_CERT_FILE: pem('client.pem'),
  TEMPORAL_TLS_KEY_FILE: pem('client.key'),
  TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
});

describe('mTLS to Temporal', () => {
  it('the client (CLI, web service) connects with the client certificate and the server CA', async () => {
    const connection = await Connection.connect({
      address: frontAddress,
      connectTimeout: '5s',
      ...connectionOptionsOf(readTemporalSecurity(mtls())),
    });
    try {
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  }, 60_000);

  it('the worker connects the same way', async () => {
    const connection = await NativeConnection.connect({
      address: frontAddress,
      ...connectionOptionsOf(readTemporalSecurity(mtls())),
    });
    try {
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  }, 60_000);

  it('without the client certificate, or trusting another CA, no connection is made', async () => {
    const { TEMPORAL_TLS_CERT_FILE: _c, TEMPORAL_TLS_KEY_FILE: _k, ...noClientCert } = mtls();
    await expect(
      Connection.connect({
        address: frontAddress,
        connectTimeout: '3s',
        ...connectionOptionsOf(readTemporalSecurity(noClientCert)),
      }).then(async (c) => {
        await c.workflowService.describeNamespace({ namespace: 'default' });
        await c.close();
      }),
    ).rejects.toThrow();
    await expect(
      Connection.connect({
        address: frontAddress,
        connectTimeout: '3s',
        ...connectionOptionsOf(readTemporalSecurity({ ...mtls(), TEMPORAL_TLS_CA_FILE: pem('client.pem') })),
      }).then((c) => c.close()),
    ).rejects.toThrow();
  }, 60_000);
});

describe('API key', () => {
  it('is sent as a bearer token, over TLS', async () => {
    const seen: (string | undefined)[] = [];
    const server = http2.createSecureServer({
      key: readFileSync(pem('server.key')),
      cert: readFileSync(pem('server.pem')),
    });
    server.on('stream', (stream, headers) => {
      seen.push(headers.authorization as string | undefined);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16' }, { endStream: true });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const key = 'cpflow-test-api-key-0123456789';
      await Connection.connect({
        address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
        connectTimeout: '3s',
        ...connectionOptionsOf(
          readTemporalSecurity({
            TEMPORAL_API_KEY: key,
            TEMPORAL_TLS_CA_FILE: pem('ca.pem'),
            TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
          }),
        ),
      }).then(
        (c) => c.close(),
        () => undefined,
      );
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((h) => h === `Bearer ${key}`)).toBe(true);
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('TLS settings', () => {
  it('refuses what cannot be used, naming the variable and never showing its value', () => {
    const cases: [Record<string, string>, string][] = [
      [{ TEMPORAL_TLS_CERT_FILE: pem('client.pem') }, 'TEMPORAL_TLS_KEY_FILE: is required with TEMPORAL_TLS_CERT_FILE'],
      [{ TEMPORAL_TLS_KEY_FILE: pem('client.key') }, 'TEMPORAL_TLS_CERT_FILE: is required with TEMPORAL_TLS_KEY_FILE'],
      [{ TEMPORAL_TLS_CA_FILE: '/etc/hostname-of-nothing' }, 'TEMPORAL_TLS_CA_FILE: the file cannot be read'],
      [{ TEMPORAL_TLS_CA_FILE: pem('client.ext') }, 'TEMPORAL_TLS_CA_FILE: must be a PEM file'],
      [{ TEMPORAL_TLS: 'yes please' }, 'TEMPORAL_TLS: must be true or false'],
      [{ TEMPORAL_API_KEY: 'two words' }, 'TEMPORAL_API_KEY: must be one printable token'],
      [{ TEMPORAL_TLS_SERVER_NAME: 'not a host!' }, 'TEMPORAL_TLS_SERVER_NAME: must be a host name'],
    ];
    for (const [env, message] of cases) {
      const failure = thrownBy(TemporalSettingsError, () => readTemporalSecurity(env));
      expect(failure.message).toContain(message);
      for (const value of Object.values(env)) expect(failure.message).not.toContain(value);
    }
    expect(readTemporalSecurity({})).toEqual({});
    expect(readTemporalSecurity({ TEMPORAL_API_KEY: 'k' }).tls).toEqual({});
  });
});
