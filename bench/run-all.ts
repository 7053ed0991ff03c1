/**
 * Runs every benchmark under `bench/` one after another, each in its own process (so one benchmark's heap,
 * JIT state or servers cannot skew the next), and prints their output. Pass words to run only the benchmarks
 * whose file names contain one of them: `npm run bench -- calendar planner`.
 *
 * Timings on a shared 2-core machine are noisy: compare ratios within one run, and record results in
 * `docs/benchmarks-*.md`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const benchDir = __dirname;
const filters = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.ts') && name !== path.basename(__filename))
  .filter((name) => filters.length === 0 || filters.some((word) => name.includes(word)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`no benchmark matches ${filters.join(', ')}\n`);
  process.exitCode = 1;
}

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    failed += 1;
    process.stdout.write(`=== ${file}: FAILED (exit ${run.status ?? run.signal}) after ${seconds} s ===\n`);
  } else {
    process.stdout.write(`=== ${file}: done in ${seconds} s ===\n`);
  }
}
if (failed > 0) process.exitCode = 1;
