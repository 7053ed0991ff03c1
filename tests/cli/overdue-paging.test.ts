import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { listVisibilityPages } from '../../cli/cases/overdue';

interface Request {
  pageSize: number;
  nextPageToken?: Uint8Array;
}

/** A workflow service over `total` executions whose pages fail like gRPC when above `maxRows` rows. */
function fakeClient(total: number, maxRows: number, requests: Request[]): Client {
  const listWorkflowExecutions = (req: Request) => {
    requests.push(req);
    const offset = req.nextPageToken === undefined ? 0 : Number(Buffer.from(req.nextPageToken).toString());
    if (req.pageSize > maxRows) {
      return Promise.reject(
        Object.assign(new Error('8 RESOURCE_EXHAUSTED: Received message larger than max'), {
          code: 8, // gRPC RESOURCE_EXHAUSTED
          details: '',
          metadata: {},
        }),
      );
    }
    const end = Math.min(total, offset + req.pageSize);
    return Promise.resolve({
      executions: Array.from({ length: end - offset }, (_, i) => ({
        execution: { workflowId: `CP-2026-${String(offset + i).padStart(6, '0')}` },
      })),
      nextPageToken: end < total ? Buffer.from(String(end)) : new Uint8Array(),
    });
  };
  return { options: { namespace: 'default' }, workflowService: { listWorkflowExecutions } } as unknown as Client;
}

describe('visibility paging', () => {
  it('reads every page, asking for the next one with the token of the last', async () => {
    const requests: Request[] = [];
    const ids: string[] = [];
    for await (const page of listVisibilityPages(fakeClient(2500, 10_000, requests), 'q', 1000))
      ids.push(...page.map((e) => e.execution?.workflowId ?? ''));
    expect(ids).toHaveLength(2500);
    expect(new Set(ids).size).toBe(2500);
    expect(requests.map((r) => r.pageSize)).toEqual([1000, 1000, 1000]);
  });

  it('halves the page size when a page is too large for a gRPC message, losing nothing', async () => {
    const requests: Request[] = [];
    const ids: string[] = [];
    for await (const page of listVisibilityPages(fakeClient(3000, 1300, requests), 'q', 5000))
      ids.push(...page.map((e) => e.execution?.workflowId ?? ''));
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => `CP-2026-${String(i).padStart(6, '0')}`));
    expect(requests.slice(0, 3).map((r) => r.pageSize)).toEqual([5000, 2500, 1250]);
  });

  it('gives up below the smallest page size with the server error', async () => {
    const pages = listVisibilityPages(fakeClient(3000, 50, []), 'q', 400);
    await expect(pages.next()).rejects.toThrow('RESOURCE_EXHAUSTED');
  });
});
