/**
 * Keeps the compiled CLI (`dist/`, built by `npm run build`) in step with its sources for the tests and
 * benchmarks that run it as users do: rebuilt when a source it was compiled from, or the build's configuration,
 * is newer than its JavaScript, so a test never runs stale code.
 *
 * The build goes to a folder beside `dist/` and replaces it in one rename, because other test runs on the same
 * working tree may be starting the CLI meanwhile and must never load a half-written file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** The compiled CLI's folder. */
export const DIST = path.join(ROOT, 'dist');
/** The compiled CLI's entry point, as `bin/cpflow.js` runs it. */
export const COMPILED_CLI = path.join(DIST, 'cli', 'main.js');
const BUILD_CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? filesUnder(dir, relative) : [relative];
  });
}

function mtimeMs(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Why `dist/` must be rebuilt, or undefined when it is up to date: each compiled file is compared with the
 * source it came from (a new source file is reached through an import, so the importing file is newer too).
 */
export function whyCliIsStale(): string | undefined {
  if (!existsSync(COMPILED_CLI)) return 'dist/ holds no compiled CLI';
  let oldest = Infinity;
  for (const compiled of filesUnder(DIST).filter((file) => file.endsWith('.js'))) {
    const compiledAt = mtimeMs(path.join(DIST, compiled)) ?? 0;
    oldest = Math.min(oldest, compiledAt);
    const source = compiled.replace(/\.js$/, '.ts');
    if ((mtimeMs(path.join(ROOT, source)) ?? 0) > compiledAt) return `${source} changed`;
  }
  const config = BUILD_CONFIGS.find((file) => (mtimeMs(path.join(ROOT, file)) ?? 0) > oldest);
  return config === undefined ? undefined : `${config} changed`;
}

/**
 * Compiles the CLI (`tsconfig.build.json`) and swaps it in as `dist/`. Type errors are reported, not fatal:
 * TypeScript still writes the JavaScript, which is what the sources say (`npm run typecheck` is the gate for
 * types); a build that writes no CLI at all throws with the compiler's output.
 */
export function buildCli(log: (line: string) => void = () => undefined): void {
  // Stamped with the start time, so a source saved while the compiler runs counts as newer next time.
  const started = new Date();
  // Beside dist/ (same depth), so the source maps' relative paths stay right after the rename.
  const building = path.join(ROOT, `.dist-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', building],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const output = `${tsc.stdout ?? ''}${tsc.stderr ?? ''}`.trim();
  if (!existsSync(path.join(building, 'cli', 'main.js'))) {
    rmSync(building, { recursive: true, force: true });
    throw new Error(`building the CLI (tsc -p tsconfig.build.json) wrote no dist/cli/main.js:\n${output}`);
  }
  if (tsc.status !== 0) log(`The CLI was built with TypeScript errors (npm run typecheck):\n${output}`);
  for (const file of filesUnder(building)) utimesSync(path.join(building, file), started, started);
  const previous = path.join(ROOT, `.dist-old-${process.pid}`);
  try {
    renameSync(DIST, previous);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    renameSync(building, DIST);
  } catch {
    // Another run swapped in its own build meanwhile: built from the same sources, it serves as well.
    rmSync(building, { recursive: true, force: true });
  }
  rmSync(previous, { recursive: true, force: true });
}

/** Rebuilds `dist/` when it is stale, saying why; does nothing when it is up to date. */
export function ensureCliBuilt(log: (line: string) => void = () => undefined): void {
  const why = whyCliIsStale();
  if (why === undefined) return;
  log(`Building the CLI into dist/ (${why})…`);
  const started = Date.now();
  buildCli(log);
  log(`Built the CLI in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
