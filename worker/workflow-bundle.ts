/**
 * Bundling cpflow's workflow code (webpack, through the SDK's `bundleWorkflowCode`) with the options every
 * worker must use: zod and the domain preloaded once per worker instead of once per workflow
 * (workflows/preload.ts), and a lean bundle (see {@link leanBundle}).
 *
 * Bundling costs seconds and leaves a few hundred MB of webpack heap behind, so a long-running worker bundles
 * in a short-lived child process ({@link bundleWorkflowsInChildProcess}) and only receives the code.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  type BundleOptions,
  bundleWorkflowCode,
  type WorkflowBundle,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { projectPath } from '../config/locations';

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

/** A logger that drops webpack's output (bundling is quiet unless it fails, and failures are thrown). */
export const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
type WebpackCompiler = {
  hooks: { normalModuleFactory: { tap(name: string, fn: (factory: ModuleFactory) => void): void } };
};
type ModuleFactory = {
  hooks: { afterResolve: { tap(name: string, fn: (data: { createData: { resource?: string } }) => void): void } };
};

const ZOD_LOCALES_INDEX = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.c?js$/;
const ZOD_ENGLISH_LOCALE = projectPath('worker', 'bundle', 'zod-english-locale.mjs');
/** The same for compiled workflow code (CommonJS, as in dist/), which reaches zod's CommonJS files. */
const ZOD_ENGLISH_LOCALE_CJS = projectPath('worker', 'bundle', 'zod-english-locale.cjs');

/** Webpack plugin: zod's locale index becomes English only (worker/bundle/zod-english-locale.mjs). */
const zodEnglishOnly = {
  apply(compiler: WebpackCompiler): void {
    compiler.hooks.normalModuleFactory.tap('cpflow-zod-english-only', (factory) => {
      factory.hooks.afterResolve.tap('cpflow-zod-english-only', ({ createData }) => {
        if (createData.resource !== undefined && ZOD_LOCALES_INDEX.test(createData.resource))
          createData.resource = createData.resource.endsWith('.cjs') ? ZOD_ENGLISH_LOCALE_CJS : ZOD_ENGLISH_LOCALE;
      });
    });
  },
};

/**
 * The SDK's webpack configuration, made lean: every worker thread keeps the bundle (code and inline source
 * map) as a string, and the SDK parses the source map to translate workflow stack traces. cpflow's bundle
 * carries line-only mappings without the sources (readable stack traces need file and line; the sources are in
 * the deployment) and only zod's English locale: 5.0 M characters, two-byte (10 MB per copy), became 1.8 M,
 * one-byte with {@link latin1Only} (measured 2026-11-21).
 */
function leanBundle(config: WebpackConfiguration): WebpackConfiguration {
  return {
    ...config,
    devtool: 'inline-nosources-cheap-module-source-map',
    plugins: [...(config.plugins ?? []), zodEnglishOnly],
  };
}

/**
 * `code` with every character above U+00FF written as a `\uXXXX` escape, so V8 keeps the bundle as a one-byte
 * string (half the memory in every thread that holds it). The few such characters are in comments, string
 * literals and patterns (a dash, an arrow, zod's "≥"), where the escape means the same character; the line-only
 * source map is unaffected, since no line changes.
 */
export function latin1Only(code: string): string {
  return code.replace(/[^\u0000-\u00ff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What a bundle holds besides the workflows. */
export interface WorkflowBundleExtras {
  /** Workflow interceptor modules (tracing's: observability/tracing.ts); none by default. */
  readonly workflowInterceptorModules?: readonly string[];
}

/** Bundles a workflows module in this process, with cpflow's bundle options. */
export async function bundleWorkflows(
  workflowsPath: string = defaultWorkflowsPath(),
  extras: WorkflowBundleExtras = {},
): Promise<WorkflowBundleWithSourceMap> {
  const bundle = await bundleWorkflowCode({
    workflowsPath,
    preloadModules: [preloadModulePath()],
    workflowInterceptorModules: [...(extras.workflowInterceptorModules ?? [])],
    logger: quietLogger,
    webpackConfigHook: leanBundle,
  });
  return { ...bundle, code: latin1Only(bundle.code) };
}

/** The child process failed to bundle the workflows. */
export class WorkflowBundlingError extends Error {
  override readonly name = 'WorkflowBundlingError';
}

/**
 * Bundles a workflows module in a child process (same options as {@link bundleWorkflows}) and returns the
 * code, so the webpack heap never lives in the worker process.
 */
export async function bundleWorkflowsInChildProcess(
  workflowsPath: string = defaultWorkflowsPath(),
  extras: WorkflowBundleExtras = {},
): Promise<WorkflowBundle> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cpflow-bundle-'));
  const out = path.join(dir, 'workflow-bundle.js');
  const script = path.join(__dirname, `workflow-bundle-main${path.extname(__filename)}`);
  const execArgv = path.extname(__filename) === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [...execArgv, script, workflowsPath, out, ...(extras.workflowInterceptorModules ?? [])],
        { maxBuffer: 16 * 1024 * 1024 },
        (err, _stdout, stderr) => {
          if (err)
            reject(new WorkflowBundlingError(`bundling ${workflowsPath} failed: ${stderr.trim() || err.message}`));
          else resolve();
        },
      );
    });
    return { code: await readFile(out, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
