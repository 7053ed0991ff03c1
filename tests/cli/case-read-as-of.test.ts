/**
 * Case reads pass the reader's date in England as `asOf` to the case's one reading query (`caseReading`: status,
 * timeline, audit trail): a case no longer wakes at midnight, so without it a case idle since yesterday would
 * answer for yesterday.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { readCase } from '../../cli/cases/case-client';
import { todayInEngland } from '../../cli/options';
import { parseIsoDate } from '../../domain/calendar';

/** A client whose case answers every query with its name, recording the arguments of each query. */
function recordingClient(calls: { query: string; args: unknown[] }[]): Client {
  const handle = {
    query: (definition: { name: string } | string, ...args: unknown[]) => {
      const query = typeof definition === 'string' ? definition : definition.name;
      calls.push({ query, args });
      return Promise.resolve({ status: { query }, timeline: { query }, audit: [] });
    },
  };
  return {
    workflow: { getHandle: () => handle },
    withDeadline: <R>(_deadline: number, call: () => Promise<R>) => call(),
  } as unknown as Client;
}

describe('case reads as of a date', () => {
  it('reads the case in one query, as of today in England by default', async () => {
    const calls: { query: string; args: unknown[] }[] = [];
    const before = todayInEngland();
    await readCase(recordingClient(calls), 'CP-2026-000123');
    const after = todayInEngland();
    expect(calls.map((c) => c.query)).toEqual(['caseReading']);
    expect([before, after]).toContain(calls[0].args[0]);
  });

  it("asks as of the date the caller gives (the simulator's virtual date)", async () => {
    const calls: { query: string; args: unknown[] }[] = [];
    await readCase(recordingClient(calls), 'CP-2026-000123', { asOf: parseIsoDate('2030-03-27', 'asOf') });
    expect(calls.map((c) => c.args)).toEqual([['2030-03-27']]);
  });
});
