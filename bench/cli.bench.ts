/**
 * `cpflow` start-up benchmark: the wall time of whole CLI commands, as a user waits for them, run the way users
 * run them (`node bin/cpflow.js …`, the compiled CLI in dist/) and the way they ran before the build
 * (`tsx cli/main.ts …`, TypeScript compiled on every run), interleaved in the same run so the machine's changing
 * load falls on both alike. Target: every command under 500 ms.
 *
 * Commands: `--help`; `mail list` on an empty mailbox; `plan` for a referral; `calendar add-working-days`; a
 * referral refused by validation (before connecting); `overdue` against Temporal's dev server (started here, as
 * the other benchmarks do; an empty namespace, so the time is the CLI's and the connection's, not a listing's).
 * Like hyperfine: one untimed run of each, then RUNS timed runs of each variant, alternating.
 * Run: `npx tsx bench/cli.bench.ts [runs]` (a minute or two). Results: docs/benchmarks-cli.md.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureCliBuilt } from '../tests/support/cli-build';
import { createDevServerEnvironment } from '../tests/support/temporal';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 10);
const TARGET_MS = 500;

interface Variant {
  readonly name: string;
  readonly argv: readonly string[];
}

/** What users run: the package's bin, which loads the compiled CLI. */
const COMPILED: Variant = { name: 'node bin/cpflow.js', argv: [path.join(ROOT, 'bin', 'cpflow.js')] };
/** What `npm run cpflow` ran before: tsx's command line, which compiles the sources in a child process. */
const TSX: Variant = { name: 'tsx cli/main.ts', argv: [require.resolve('tsx/cli'), path.join(ROOT, 'cli', 'main.ts')] };

interface Command {
  readonly label: string;
  readonly args: readonly string[];
  /** The exit code the command must end with (a refused referral exits 1). */
  readonly exitCode: number;
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One run's wall time in milliseconds, checking the exit code. */
function timeRun(variant: Variant, command: Command, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [...variant.argv, ...command.args], { cwd: ROOT, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== command.exitCode) {
    throw new Error(
      `${variant.name} ${command.args.join(' ')}: exit ${run.status ?? run.signal}, expected ${command.exitCode}\n${run.stderr}`,
    );
  }
  return ms;
}

async function main(): Promise<void> {
  ensureCliBuilt((line) => process.stdout.write(`${line}\n`));
  const scratch = mkdtempSync(path.join(tmpdir(), 'cpflow-cli-bench-'));
  const badReferral = path.join(scratch, 'referral.json');
  writeFileSync(badReferral, JSON.stringify({ caseReference: 'CP-2026-000123', children: [{ age: 19 }] }));
  const temporal = await createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES });
  try {
    const keyId = 'bench';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      CPFLOW_DATA_DIR: path.join(scratch, 'data'),
      // A throw-away payload key set, for a CLI that encrypts what it sends (its clients need one).
      CPFLOW_PAYLOAD_KEYS: JSON.stringify({ current: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } }),
    };
    const commands: Command[] = [
      { label: '`--help`', args: ['--help'], exitCode: 0 },
      { label: '`mail list` (empty mailbox)', args: ['mail', 'list'], exitCode: 0 },
      { label: '`plan --referral-date 2026-08-29`', args: ['plan', '--referral-date', '2026-08-29'], exitCode: 0 },
      {
        label: '`calendar add-working-days 2026-12-24 10`',
        args: ['calendar', 'add-working-days', '2026-12-24', '10'],
        exitCode: 0,
      },
      {
        label: '`referral create` refused (validation error)',
        args: ['referral', 'create', '--file', badReferral],
        exitCode: 1,
      },
      { label: '`overdue --team team-north` (dev server)', args: ['overdue', '--team', 'team-north'], exitCode: 0 },
    ];
    process.stdout.write(`${RUNS} timed runs of each command and variant, alternating, after one untimed run\n\n`);
    const rows: string[] = [];
    let slowest = 0;
    for (const command of commands) {
      for (const variant of [COMPILED, TSX]) timeRun(variant, command, env);
      const samples = new Map<Variant, number[]>([
        [COMPILED, []],
        [TSX, []],
      ]);
      for (let i = 0; i < RUNS; i += 1) {
        // Alternate which goes first, so neither always follows the other's disk and CPU state.
        const order = i % 2 === 0 ? [COMPILED, TSX] : [TSX, COMPILED];
        for (const variant of order) samples.get(variant)?.push(timeRun(variant, command, env));
      }
      const compiled = samples.get(COMPILED) ?? [];
      const tsx = samples.get(TSX) ?? [];
      slowest = Math.max(slowest, median(compiled));
      const ms = (value: number) => `${Math.round(value)} ms`;
      rows.push(
        `| ${command.label} | ${ms(median(compiled))} | ${ms(Math.min(...compiled))}–${ms(Math.max(...compiled))} | ` +
          `${ms(median(tsx))} | ${(median(tsx) / median(compiled)).toFixed(1)}× |`,
      );
      process.stdout.write(`${rows[rows.length - 1]}\n`);
    }
    process.stdout.write(
      [
        '',
        `| command | ${COMPILED.name} median | min–max | ${TSX.name} median | ratio |`,
        '| --- | --- | --- | --- | --- |',
        ...rows,
        '',
        `Slowest median of the compiled CLI: ${Math.round(slowest)} ms — target < ${TARGET_MS} ms ${
          slowest < TARGET_MS ? 'met' : 'NOT met'
        }.`,
        '',
      ].join('\n'),
    );
  } finally {
    await temporal.teardown();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
