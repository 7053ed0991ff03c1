/**
 * Debian's Chromium for the browser tests (driven by `playwright-core`): found at /usr/bin/chromium, or installed
 * by the test setup from Debian's packages when it runs as root with apt (nothing is downloaded from anywhere
 * else). Where neither is possible, the browser tests say why they are skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian puts Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** The environment variable the setup leaves for the tests: the browser's path, or why there is none. */
export const CHROMIUM_ENV = 'CPFLOW_TEST_CHROMIUM';

/** Chromium's path, installing it from Debian's packages when possible; else a sentence saying why not. */
export function provisionChromium(log: (line: string) => void): { path?: string; why?: string } {
  if (existsSync(CHROMIUM)) return { path: CHROMIUM };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    return { why: `${CHROMIUM} is missing and apt-get cannot install it here (needs root and apt)` };
  }
  log('Installing Chromium from Debian (apt-get install chromium) for the browser tests; first time only.');
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', env });
  } catch (err) {
    return { why: `apt-get install chromium failed: ${(err as Error).message.split('\n')[0]}` };
  }
  return existsSync(CHROMIUM) ? { path: CHROMIUM } : { why: `apt-get ran but ${CHROMIUM} is still missing` };
}

/** Flags for headless Chromium on a machine without outside network: no background connections at all. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
