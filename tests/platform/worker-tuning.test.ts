import { describe, expect, it } from 'vitest';
import { MAX_DEFAULT_WORKFLOW_THREADS, maxCachedCases, workflowThreads, WorkerTuningError } from '../../worker/tuning';
import { thrownBy } from '../support/thrown';

describe('workflow threads of the cpflow worker', () => {
  it('runs one workflow thread per core by default, within bounds', () => {
    expect(workflowThreads({}, 1)).toBe(1);
    expect(workflowThreads({}, 2)).toBe(2);
    expect(workflowThreads({}, 64)).toBe(MAX_DEFAULT_WORKFLOW_THREADS);
    expect(workflowThreads({ CPFLOW_WORKFLOW_THREADS: '' }, 2)).toBe(2);
  });

  it('takes CPFLOW_WORKFLOW_THREADS when set', () => {
    expect(workflowThreads({ CPFLOW_WORKFLOW_THREADS: '1' }, 8)).toBe(1);
    expect(workflowThreads({ CPFLOW_WORKFLOW_THREADS: '6' }, 2)).toBe(6);
  });

  it('refuses a value that is not a whole number from 1 to 32, naming the variable and not echoing the value', () => {
    for (const value of ['0', '2.5', 'two', '33']) {
      const error = thrownBy(WorkerTuningError, () => workflowThreads({ CPFLOW_WORKFLOW_THREADS: value }, 2));
      expect(error.message).toBe('CPFLOW_WORKFLOW_THREADS: must be a whole number from 1 to 32');
    }
  });
});

describe('cached cases of the cpflow worker', () => {
  it('leaves the cache size to the SDK unless CPFLOW_MAX_CACHED_CASES is set', () => {
    expect(maxCachedCases({})).toBeUndefined();
    expect(maxCachedCases({ CPFLOW_MAX_CACHED_CASES: ' ' })).toBeUndefined();
    expect(maxCachedCases({ CPFLOW_MAX_CACHED_CASES: '300' })).toBe(300);
  });

  it('refuses a value that is not a whole number of at least 2, naming the variable and not echoing the value', () => {
    for (const value of ['1', '0', '-5', '2.5', 'many']) {
      const error = thrownBy(WorkerTuningError, () => maxCachedCases({ CPFLOW_MAX_CACHED_CASES: value }));
      expect(error.message).toBe('CPFLOW_MAX_CACHED_CASES: must be a whole number of at least 2');
    }
  });
});
