/**
 * Where cpflow finds its own files and feeds. Kept apart from the loaders (and free of zod) so the CLI can
 * name these defaults in its help without loading any schema.
 *
 * The project root is found by walking up to `package.json`, because the same code runs from the TypeScript
 * sources (tsx, vitest) and compiled into `dist/` (the `cpflow` CLI), one folder deeper; `dist/` holds
 * JavaScript only, so data files are always read from the root.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json in ${from} or any folder above it`);
  }
}

/** The folder holding `package.json`. */
export const PROJECT_ROOT = findProjectRoot(__dirname);

/** A path inside the project root. */
export function projectPath(...segments: string[]): string {
  return path.join(PROJECT_ROOT, ...segments);
}

/** Folder holding one JSON policy per local authority. */
export const POLICIES_DIR = projectPath('config', 'policies');
/** The policy used when none is named. */
export const DEFAULT_POLICY_NAME = 'pan-bedfordshire';

/** The committed bank-holiday snapshot. */
export const DEFAULT_SNAPSHOT_PATH = projectPath('data', 'bank-holidays', 'england-and-wales.json');
/** The gov.uk bank-holiday feed. */
export const GOV_UK_BANK_HOLIDAYS_URL = 'https://www.gov.uk/bank-holidays.json';
