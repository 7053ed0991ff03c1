/**
 * `cpflow overdue` against real visibility (the in-memory server's ListWorkflowExecutions): open cases with
 * overdue steps only, the team filter in the query, every page read, sorted client-side.
 */
import { Client, Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOverdueSteps } from '../../cli/cases/overdue';
import { parseIsoDate } from '../../domain/calendar';
import { startTestServer } from '../../test-server';
import { registerSearchAttributes } from '../../worker/search-attributes';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_OVERDUE_STEPS,
  CPFLOW_TEAM,
} from '../../workflows/search-attributes';

let server: Awaited<ReturnType<typeof startTestServer>>;
let connection: Connection;
let client: Client;
const today = parseIsoDate('2027-01-06', 'today');

/** Starts a case that never runs (no worker): it stays open with the given search attributes. */
async function openCase(n: number, team: string, overdue: string[], open = true): Promise<void> {
  await client.workflow.start('caseWorkflow', {
    workflowId: `CP-2026-${String(n).padStart(6, '0')}`,
    taskQueue: 'no-worker',
    args: [],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: CPFLOW_TEAM, value: team },
      { key: CPFLOW_ASSIGNEE, value: `sw-${String(n).padStart(4, '0')}` },
      { key: CPFLOW_CASE_OPEN, value: open },
      ...(overdue.length > 0 ? [{ key: CPFLOW_OVERDUE_STEPS, value: overdue }] : []),
    ]),
  });
}

beforeAll(async () => {
  server = await startTestServer({ timeSkipping: false });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  await registerSearchAttributes(connection, 'default');
  // 25 north cases with one overdue step each, due 1–25 December; 5 south cases; noise that must not appear.
  for (let i = 1; i <= 25; i++) await openCase(i, 'team-north', [`icpc@2026-12-${String(26 - i).padStart(2, '0')}`]);
  for (let i = 26; i <= 30; i++)
    await openCase(i, 'team-south', [`visit-2@2026-11-${String(i - 20).padStart(2, '0')}`, 'core-group-2@2026-12-30']);
  await openCase(31, 'team-north', []); // nothing overdue
  await openCase(32, 'team-north', ['icpc@2026-10-01'], false); // closed case
  await openCase(33, 'team-north', ['icpc@2026-10-02']);
  await client.workflow.getHandle('CP-2026-000033').terminate('test: a terminated case is not open');
}, 60_000);

afterAll(async () => {
  await connection?.close();
  await server?.stop();
});

describe('cpflow overdue from visibility', () => {
  it('reads every page and lists open cases only, most overdue first', async () => {
    const listing = await listOverdueSteps(client, { today, pageSize: 7 });
    expect(listing.steps).toHaveLength(25 + 10);
    expect(listing.steps.slice(0, 5).map((s) => `${s.caseReference} ${s.stepId}@${s.dueDate}`)).toEqual([
      'CP-2026-000026 visit-2@2026-11-06',
      'CP-2026-000027 visit-2@2026-11-07',
      'CP-2026-000028 visit-2@2026-11-08',
      'CP-2026-000029 visit-2@2026-11-09',
      'CP-2026-000030 visit-2@2026-11-10',
    ]);
    expect(listing.steps[5]).toMatchObject({
      caseReference: 'CP-2026-000025',
      team: 'team-north',
      assignee: 'sw-0025',
      stepId: 'icpc',
      dueDate: '2026-12-01',
    });
    expect(listing.steps.map((s) => s.dueDate)).toEqual([...listing.steps.map((s) => s.dueDate)].sort());
    const references = new Set(listing.steps.map((s) => s.caseReference));
    for (const excluded of ['CP-2026-000031', 'CP-2026-000032', 'CP-2026-000033'])
      expect(references.has(excluded)).toBe(false);
  });

  it('filters by team in the visibility query', async () => {
    const south = await listOverdueSteps(client, { today, team: 'team-south', pageSize: 3 });
    expect(new Set(south.steps.map((s) => s.team))).toEqual(new Set(['team-south']));
    expect(south.steps).toHaveLength(10);
    expect(south.steps.at(-1)).toMatchObject({ stepId: 'core-group-2', dueDate: '2026-12-30', workingDaysOverdue: 4 });
  });
});
