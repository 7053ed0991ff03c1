/**
 * A throwaway PostgreSQL server for the tests of the shared sent log, from Debian's packages (`.ci/run` installs
 * them on a fresh machine): a new cluster in a temporary folder, on a free loopback port, stopped when the tests
 * end. `CPFLOW_TEST_POSTGRES_URL` points the tests at an existing server instead.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The variable through which the test processes learn the server's URL, or why there is none (`none: …`). */
export const POSTGRES_ENV = 'CPFLOW_TEST_POSTGRES_URL';

/** The URL of the test PostgreSQL server, or why there is none. */
export function testPostgres(): { readonly url?: string; readonly why?: string } {
  const value = process.env[POSTGRES_ENV];
  if (value === undefined) return { why: 'the global setup did not run' };
  return value.startsWith('none: ') ? { why: value.slice('none: '.length) } : { url: value };
}

/** PostgreSQL's server programs (initdb, pg_ctl) from Debian's packages, newest version first. */
function serverBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find((bin) => existsSync(path.join(bin, 'pg_ctl')));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a cluster; returns its URL and how to stop it, or why it cannot run here. */
export async function startTestPostgres(
  log: (line: string) => void,
): Promise<{ url: string; stop: () => void } | { why: string }> {
  const bin = serverBin();
  if (bin === undefined) return { why: 'PostgreSQL is not installed (Debian package postgresql; .ci/run installs it)' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpflow-pg-'));
  // PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : path.join(bin, program),
      asRoot ? ['-u', 'postgres', '--', path.join(bin, program), ...args] : args,
      { stdio: 'pipe', timeout: 60_000 },
    );
  try {
    if (asRoot) {
      const { uid, gid } = userIds('postgres');
      chownSync(dir, uid, gid);
    }
    const data = path.join(dir, 'data');
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'cpflow', '--no-sync']);
    const port = await freePort();
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
    log(`Tests use: PostgreSQL from ${bin} on 127.0.0.1:${port}`);
    return {
      url: `postgres://cpflow@127.0.0.1:${port}/postgres`,
      stop: () => {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop();
    return { why: `PostgreSQL could not be started: ${stderr ?? (err as Error).message}` };
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name]).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}
