/**
 * Installing Temporal's servers from package registries, by their ordinary clients, where the SDK cannot
 * download them: the `temporal` CLI with `go install` from the Go module proxy, the time-skipping test server
 * with Maven from Maven Central. Each is built into a temporary folder and renamed into place when complete,
 * so an interrupted build leaves nothing that looks finished.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectPath } from '../config/locations';
import { ProvisioningError } from './errors';
import { findJava, findOnPath } from './find-executable';
import { runTool } from './run-tool';
import {
  MINIMUM_GO,
  TEMPORAL_CLI_PACKAGE,
  TEMPORAL_CLI_VERSION,
  TEMPORAL_TEST_SERVER_MAIN_CLASS,
  TEMPORAL_TEST_SERVER_VERSION,
} from './versions';

/** Where the registry-built `temporal` CLI lives in the tools folder. */
export function temporalCliPath(tools: string): string {
  return path.join(tools, 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

const POM = projectPath('temporal-servers', 'test-server.pom.xml');

/**
 * Where the launcher of the registry-fetched test server lives in the tools folder: one folder per version and
 * recipe (the pom and the launcher), so a change to either provisions afresh.
 */
export function testServerLauncherPath(tools: string): string {
  const recipe = createHash('sha256').update(readFileSync(POM)).update(launcherScript('java')).digest('hex');
  const folder = `${TEMPORAL_TEST_SERVER_VERSION}-${recipe.slice(0, 10)}`;
  return path.join(tools, 'temporal-test-server', folder, 'temporal-test-server');
}

/**
 * Runs `build` on an empty temporary folder beside `finalDir`, then renames it into place, so an interrupted
 * build never leaves a folder that looks finished.
 */
async function buildInto(finalDir: string, build: (partialDir: string) => Promise<void>): Promise<void> {
  const partialDir = `${finalDir}.partial-${process.pid}`;
  await rm(partialDir, { recursive: true, force: true });
  await mkdir(partialDir, { recursive: true });
  try {
    await build(partialDir);
    await rm(finalDir, { recursive: true, force: true });
    await rename(partialDir, finalDir);
  } finally {
    await rm(partialDir, { recursive: true, force: true });
  }
}

/** `go install`s the pinned `temporal` CLI into the tools folder; returns the binary's path. */
export async function buildTemporalCli(
  tools: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<string> {
  const go = findOnPath('go', env);
  if (go === undefined) {
    throw new ProvisioningError(
      `cannot install Temporal's dev server: temporal.download is unreachable and \`go\` is not on the PATH. ` +
        `Install Go ${MINIMUM_GO} or newer (Debian: golang-go from backports; or https://go.dev/dl/), ` +
        `or set TEMPORAL_ADDRESS to a Temporal Service you run.`,
    );
  }
  const finalPath = temporalCliPath(tools);
  const finalDir = path.dirname(finalPath);
  log(
    `Building Temporal's dev server (temporal CLI ${TEMPORAL_CLI_VERSION}) from the Go module proxy into ${finalDir}.` +
      ' First time only; it takes several minutes on two cores.',
  );
  await buildInto(finalDir, (partialDir) =>
    runTool({
      command: go,
      args: ['install', `${TEMPORAL_CLI_PACKAGE}@${TEMPORAL_CLI_VERSION}`],
      env: { ...env, GOBIN: partialDir },
      what: `go install temporal CLI ${TEMPORAL_CLI_VERSION}`,
      log,
    }),
  );
  return finalPath;
}

/** Fetches the pinned time-skipping test server from Maven Central and writes its launcher; returns the launcher. */
export async function fetchTestServer(
  tools: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<string> {
  const java = findJava(env);
  const mvn = findOnPath('mvn', env);
  if (java === undefined || mvn === undefined) {
    const missing = [
      java === undefined ? '`java` (a JDK or JRE 17+)' : '',
      mvn === undefined ? '`mvn` (Apache Maven)' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    throw new ProvisioningError(
      `cannot install Temporal's time-skipping test server: temporal.download is unreachable and ${missing} ` +
        `cannot be found. Install them (Debian: openjdk-17-jre-headless maven).`,
    );
  }
  const finalPath = testServerLauncherPath(tools);
  const finalDir = path.dirname(finalPath);
  log(
    `Fetching Temporal's time-skipping test server (io.temporal:temporal-test-server ${TEMPORAL_TEST_SERVER_VERSION}) ` +
      `from Maven Central into ${finalDir}. First time only.`,
  );
  await buildInto(finalDir, async (partialDir) => {
    await runTool({
      command: mvn,
      args: [
        '--batch-mode',
        '--quiet',
        '--file',
        POM,
        'dependency:copy-dependencies',
        `-Dtemporal.test-server.version=${TEMPORAL_TEST_SERVER_VERSION}`,
        `-DoutputDirectory=${path.join(partialDir, 'lib')}`,
      ],
      env,
      what: `mvn fetch temporal-test-server ${TEMPORAL_TEST_SERVER_VERSION}`,
      log,
    });
    const launcher = path.join(partialDir, path.basename(finalPath));
    await writeFile(launcher, launcherScript(java));
    await chmod(launcher, 0o755);
  });
  await removeOtherRecipes(finalDir);
  return finalPath;
}

/**
 * The launcher the SDK runs as `<launcher> <port>`. The server's classes sit beside it in `lib/`;
 * `CPFLOW_TEST_SERVER_JAVA_OPTS` adds JVM options at run time. The server is stopped when the launcher is stopped
 * or killed, or when the process that started the launcher ends however it ends, so no test run leaves a JVM
 * behind.
 */
function launcherScript(java: string): string {
  return [
    '#!/bin/sh',
    `# Temporal's time-skipping test server (io.temporal:temporal-test-server ${TEMPORAL_TEST_SERVER_VERSION}),`,
    '# provisioned by cpflow (temporal-servers/). Usage: temporal-test-server <port>',
    'here="$(cd "$(dirname "$0")" && pwd)"',
    `${shellQuote(java)} -XX:+UseSerialGC -Xshare:auto $CPFLOW_TEST_SERVER_JAVA_OPTS \\`,
    `  -cp "$here/lib/*" ${TEMPORAL_TEST_SERVER_MAIN_CLASS} "$@" &`,
    'server=$!',
    'launcher=$$',
    'parent=$PPID',
    '( while kill -0 "$launcher" 2>/dev/null && kill -0 "$parent" 2>/dev/null; do sleep 1; done',
    '  kill -TERM "$server" 2>/dev/null ) &',
    'watcher=$!',
    'trap \'kill -TERM "$server" 2>/dev/null\' TERM INT',
    'while kill -0 "$server" 2>/dev/null; do wait "$server"; done',
    'kill "$watcher" 2>/dev/null',
    '',
  ].join('\n');
}

/** Removes the folders of older versions or recipes beside `current` (never a lock or a build in progress). */
async function removeOtherRecipes(current: string): Promise<void> {
  const parent = path.dirname(current);
  for (const entry of await readdir(parent)) {
    if (entry === path.basename(current) || entry.includes('.lock') || entry.includes('.partial-')) continue;
    await rm(path.join(parent, entry), { recursive: true, force: true });
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
