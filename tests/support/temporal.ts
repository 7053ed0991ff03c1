/**
 * Temporal test environment for cpflow tests: one line gives a time-skipping
 * `TestWorkflowEnvironment` backed by the cpflow in-memory test server (default), or by Temporal's
 * own downloaded test server with `TEMPORAL_TEST_SERVER=download`.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type LogLevel,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { quietLogger } from '../../worker/workflow-bundle';

/** Path of the cpflow test server launcher (sdk-core runs it as `<path> <port>`). */
export const TEST_SERVER_EXECUTABLE = path.resolve(__dirname, '../../test-server/bin/cpflow-test-server');

/** Which server backs the environment. */
export type TestServerKind = 'embedded' | 'download';

/** Thrown when TEMPORAL_TEST_SERVER holds something else than `embedded` or `download`. */
export class UnknownTestServerKindError extends Error {
  constructor(value: string) {
    super(`TEMPORAL_TEST_SERVER must be "embedded" or "download", got ${JSON.stringify(value)}`);
    this.name = 'UnknownTestServerKindError';
  }
}

/** The server kind selected by the environment (default `embedded`). */
export function testServerKind(): TestServerKind {
  const value = process.env.TEMPORAL_TEST_SERVER ?? 'embedded';
  if (value !== 'embedded' && value !== 'download') throw new UnknownTestServerKindError(value);
  return value;
}

/** Search attribute types accepted by {@link createTestEnvironment}. */
export type SearchAttributeTypeName = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/** Options of {@link createTestEnvironment}. */
export interface TestEnvironmentOptions {
  /** Custom search attributes registered (OperatorService.AddSearchAttributes) before the environment is returned. */
  searchAttributes?: Record<string, SearchAttributeTypeName>;
}

let runtimeInstalled = false;

/** Installs the Temporal runtime with a quiet logger (TEMPORAL_LOG_LEVEL, default ERROR), once. */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    const level = (process.env.TEMPORAL_LOG_LEVEL ?? 'ERROR') as LogLevel;
    Runtime.install({
      logger: new DefaultLogger(level),
      telemetryOptions: { logging: { filter: { core: level, other: level }, forward: {} } },
    });
  } catch {
    // Already installed by the caller: keep theirs.
  }
}

/** Creates a time-skipping test environment. Share one per test file (beforeAll/afterAll). */
export async function createTestEnvironment(options: TestEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const env =
    testServerKind() === 'embedded'
      ? await TestWorkflowEnvironment.createTimeSkipping({
          server: { executable: { type: 'existing-path', path: TEST_SERVER_EXECUTABLE } },
        })
      : await TestWorkflowEnvironment.createTimeSkipping();
  const attributes = Object.entries(options.searchAttributes ?? {});
  if (attributes.length > 0) {
    const T = temporal.api.enums.v1.IndexedValueType;
    const types: Record<SearchAttributeTypeName, number> = {
      Keyword: T.INDEXED_VALUE_TYPE_KEYWORD,
      Text: T.INDEXED_VALUE_TYPE_TEXT,
      Int: T.INDEXED_VALUE_TYPE_INT,
      Double: T.INDEXED_VALUE_TYPE_DOUBLE,
      Bool: T.INDEXED_VALUE_TYPE_BOOL,
      Datetime: T.INDEXED_VALUE_TYPE_DATETIME,
      KeywordList: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    };
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(attributes.map(([name, type]) => [name, types[type]])),
    });
  }
  return env;
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/** Bundles a workflows module once per process (bundling takes seconds; workers reuse the bundle). */
export function workflowBundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath, logger: quietLogger });
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}

/** What {@link withWorker} hands to its callback. */
export interface WorkerContext {
  taskQueue: string;
  worker: Worker;
  client: Client;
}

/** Options of {@link withWorker}: worker options plus the workflows module to bundle. */
export type WithWorkerOptions = Omit<WorkerOptions, 'taskQueue' | 'connection' | 'workflowsPath' | 'workflowBundle'> & {
  workflowsPath: string;
  /** Task queue to use (default: a fresh unique one). */
  taskQueue?: string;
};

/** Creates a worker on a unique task queue, runs `fn` while the worker runs, then shuts it down. */
export async function withWorker<R>(
  env: TestWorkflowEnvironment,
  options: WithWorkerOptions,
  fn: (ctx: WorkerContext) => Promise<R>,
): Promise<R> {
  const { workflowsPath, taskQueue = `tq-${randomUUID()}`, ...rest } = options;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(workflowsPath),
    ...rest,
  });
  return worker.runUntil(fn({ taskQueue, worker, client: env.client }));
}
