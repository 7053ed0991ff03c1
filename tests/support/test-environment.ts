/**
 * One Temporal test environment per test file, created and torn down by vitest hooks. Kept apart from
 * ./temporal, which scripts outside vitest (benchmarks, the history recorder) also import.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createTestEnvironment, type TestEnvironmentOptions } from './temporal';

/** Options of {@link useTestEnvironment}. */
export interface UseTestEnvironmentOptions extends TestEnvironmentOptions {
  /** Creates the environment instead of `createTestEnvironment()` (e.g. the dev server, or with a runtime installed first). */
  create?: () => Promise<TestWorkflowEnvironment>;
  /** Time the creating hook and the tearing-down hook may each take, in ms (default 60 s). */
  hookTimeoutMs?: number;
  /**
   * A fresh environment for every test (beforeEach/afterEach) instead of one per file — for tests that each
   * start again from an early virtual date (virtual time never goes back).
   */
  perTest?: boolean;
}

/** Thrown when a test reads the environment before the hook has created it. */
export class TestEnvironmentNotReadyError extends Error {
  constructor() {
    super(
      'the test environment is created in a before hook: read it inside a test or hook, not while tests are collected',
    );
    this.name = 'TestEnvironmentNotReadyError';
  }
}

/**
 * Registers a `beforeAll` (or, with `perTest`, a `beforeEach`) that creates the calling file's environment
 * (by default on the time-skipping test server) and the matching hook that tears it down, and returns an
 * accessor for it. Call once, at the top level of a test file.
 */
export function useTestEnvironment(options: UseTestEnvironmentOptions = {}): () => TestWorkflowEnvironment {
  const { create, hookTimeoutMs = 60_000, perTest = false, ...environmentOptions } = options;
  let env: TestWorkflowEnvironment | undefined;
  (perTest ? beforeEach : beforeAll)(async () => {
    env = await (create ? create() : createTestEnvironment(environmentOptions));
  }, hookTimeoutMs);
  (perTest ? afterEach : afterAll)(async () => {
    await env?.teardown();
    env = undefined;
  }, hookTimeoutMs);
  return () => {
    if (!env) throw new TestEnvironmentNotReadyError();
    return env;
  };
}
