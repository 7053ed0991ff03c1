/**
 * *Team* reads thousands of cases' rows from visibility: the rows are read again only when older than the set age,
 * the stale ones served meanwhile, so only the first view waits.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../config/policy-loader';
import type { IsoDate } from '../../domain/calendar';
import { memoryRoster } from '../../web/identity/roster';
import { CaseService } from '../../web/services/case-service';
import EXAMPLE_DIRECTORY from '../../mail/directory.example.json';

/** A client whose visibility answers with one open case per call, numbered by the call. */
function countingClient() {
  let calls = 0;
  const client = {
    options: { namespace: 'default' },
    workflowService: {
      listWorkflowExecutions: () => {
        calls += 1;
        const n = calls;
        const field = (v: unknown) => defaultPayloadConverter.toPayload(v);
        return Promise.resolve({
          executions: [
            {
              execution: { workflowId: `CP-2026-00000${n}` },
              searchAttributes: {
                indexedFields: {
                  CpflowTeam: field('team-north'),
                  CpflowAssignee: field('sw-0042'),
                  CpflowOpenStepDues: field(['icpc@2026-12-01']),
                },
              },
            },
          ],
        });
      },
    },
  };
  return { client: client as unknown as Client, calls: () => calls };
}

describe('the rows behind Team', () => {
  it('are read again only when older than the set age, the stale ones served meanwhile', async () => {
    const { client, calls } = countingClient();
    let now = 1_000_000;
    const cases = new CaseService({
      client,
      roster: memoryRoster(EXAMPLE_DIRECTORY),
      policy: loadPolicy('pan-bedfordshire'),
      today: () => '2026-12-02' as IsoDate,
      teamRowsMaxAgeMs: 30_000,
      clock: () => now,
    });
    const manager = { staffId: 'tm-007', role: 'team-manager', teamId: 'team-north' } as const;
    const caseOf = async () => (await cases.team(manager)).loads[0]?.overdue[0]?.caseReference;
    expect(await caseOf()).toBe('CP-2026-000001');
    now += 20_000;
    expect(await caseOf()).toBe('CP-2026-000001');
    expect(calls()).toBe(1);
    now += 20_000;
    // Older than 30 s: served as it was while the rows are read again…
    expect(await caseOf()).toBe('CP-2026-000001');
    expect(calls()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // …and the next view has the fresh rows.
    expect(await caseOf()).toBe('CP-2026-000002');
    const { asOf } = await cases.team(manager);
    expect(asOf).toBe(now);
  });
});
