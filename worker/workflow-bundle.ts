/**
 * Bundling cpflow's workflow code (webpack, through the SDK's `bundleWorkflowCode`) with the options every
 * worker must use: zod preloaded once per worker instead of once per workflow (workflows/preload.ts).
 *
 * Bundling costs seconds and leaves a few hundred MB of webpack heap behind, so a long-running worker bundles
 * in a short-lived child process ({@link bundleWorkflowsInChildProcess}) and only receives the code.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundle, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** `workflows/index` as a file path (`.ts` source under tsx or vitest, `.js` once compiled). */
function workflowsModulePath(name: 'index' | 'preload'): string {
  const source = path.resolve(__dirname, `../workflows/${name}${path.extname(__filename)}`);
  return existsSync(source) ? source : require.resolve(`../workflows/${name}`);
}

/** The default workflows module, `workflows/index`. */
export function defaultWorkflowsPath(): string {
  return workflowsModulePath('index');
}

/** The preload module (see workflows/preload.ts). */
export function preloadModulePath(): string {
  return workflowsModulePath('preload');
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Bundles a workflows module in this process, with cpflow's bundle options. */
export function bundleWorkflows(workflowsPath: string = defaultWorkflowsPath()): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, preloadModules: [preloadModulePath()], logger: quietLogger });
}

/** The child process failed to bundle the workflows. */
export class WorkflowBundlingError extends Error {
  override readonly name = 'WorkflowBundlingError';
}

/**
 * Bundles a workflows module in a child process (same options as {@link bundleWorkflows}) and returns the
 * code, so the webpack heap never lives in the worker process.
 */
export async function bundleWorkflowsInChildProcess(workflowsPath: string = defaultWorkflowsPath()): Promise<WorkflowBundle> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cpflow-bundle-'));
  const out = path.join(dir, 'workflow-bundle.js');
  const script = path.join(__dirname, `workflow-bundle-main${path.extname(__filename)}`);
  const execArgv = path.extname(__filename) === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [...execArgv, script, workflowsPath, out], { maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
        if (err) reject(new WorkflowBundlingError(`bundling ${workflowsPath} failed: ${stderr.trim() || err.message}`));
        else resolve();
      });
    });
    return { code: await readFile(out, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
