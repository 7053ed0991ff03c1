/**
 * `cpflow overdue` against the visibility of Temporal's dev server (SQLite, SQL-like list queries over cpflow's
 * search attributes): open cases with a step due before today only, the team filter in the query, every page
 * read, sorted client-side. The cases are started with no worker, their search attributes set as a case
 * publishes them (`CpflowOpenStepDues`, `CpflowEarliestDue`).
 */
import type { Client } from '@temporalio/client';
import { type SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { listOverdueSteps, readOverdueRows } from '../../cli/cases/overdue';
import { parseIsoDate } from '../../domain/calendar';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_SEARCH_ATTRIBUTES,
  CPFLOW_TEAM,
} from '../../workflows/search-attributes';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';

const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});
/** Today is Wednesday 6 January 2027. */
const today = parseIsoDate('2027-01-06', 'today');

/** Starts a case that never runs (no worker): it stays open with the search attributes a case would publish. */
async function startCase(
  client: Client,
  n: number,
  team: string,
  openStepDues: string[],
  open = true,
): Promise<string> {
  const workflowId = `CP-2027-${String(n).padStart(6, '0')}`;
  const earliest = openStepDues.map((v) => v.slice(v.indexOf('@') + 1)).sort()[0];
  await client.workflow.start('caseWorkflow', {
    workflowId,
    taskQueue: 'no-worker',
    args: [],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: CPFLOW_TEAM, value: team },
      { key: CPFLOW_ASSIGNEE, value: `sw-${String(n).padStart(4, '0')}` },
      { key: CPFLOW_CASE_OPEN, value: open },
      ...(openStepDues.length > 0 ? [{ key: CPFLOW_OPEN_STEP_DUES, value: openStepDues }] : []),
      ...(earliest !== undefined ? [{ key: CPFLOW_EARLIEST_DUE, value: new Date(`${earliest}T00:00:00Z`) }] : []),
    ] as SearchAttributePair[]),
  });
  return workflowId;
}

beforeAll(async () => {
  const client = temporal().client;
  // 25 north cases with one step due 1–25 December and one due after today; 5 south cases with two past steps.
  for (let i = 1; i <= 25; i++) {
    await startCase(client, i, 'team-north', [`icpc@2026-12-${String(26 - i).padStart(2, '0')}`, 'visit-2@2027-01-20']);
  }
  for (let i = 26; i <= 30; i++) {
    await startCase(client, i, 'team-south', [
      `visit-2@2026-11-${String(i - 20).padStart(2, '0')}`,
      'core-group-2@2026-12-30',
    ]);
  }
  // Noise that must not be listed: due today, due later, nothing open, closed, terminated.
  await startCase(client, 31, 'team-north', ['icpc@2027-01-06']);
  await startCase(client, 32, 'team-south', ['icpc@2027-01-07', 'rcpc-1@2027-03-01']);
  await startCase(client, 33, 'team-north', []);
  await startCase(client, 34, 'team-south', ['icpc@2026-12-01'], false);
  const terminated = await startCase(client, 35, 'team-north', ['icpc@2026-12-02']);
  await client.workflow.getHandle(terminated).terminate('test: a terminated case is not open');
  // Visibility is written after the start is acknowledged: wait until the server lists every case.
  const deadline = Date.now() + 30_000;
  while ((await client.workflow.count('CpflowTeam IS NOT NULL')).count < 35) {
    if (Date.now() > deadline) throw new Error('the dev server did not list the 35 cases within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  while ((await client.workflow.count("ExecutionStatus = 'Terminated'")).count < 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);

describe('cpflow overdue from the dev server visibility', () => {
  it('reads every page and lists the steps due before today of open cases only, most overdue first', async () => {
    const listing = await listOverdueSteps(temporal().client, { today, pageSize: 7 });
    expect(listing.steps).toHaveLength(25 + 10);
    expect(listing.steps.slice(0, 5).map((s) => `${s.caseReference} ${s.stepId}@${s.dueDate}`)).toEqual([
      'CP-2027-000026 visit-2@2026-11-06',
      'CP-2027-000027 visit-2@2026-11-07',
      'CP-2027-000028 visit-2@2026-11-08',
      'CP-2027-000029 visit-2@2026-11-09',
      'CP-2027-000030 visit-2@2026-11-10',
    ]);
    expect(listing.steps[5]).toMatchObject({
      caseReference: 'CP-2027-000025',
      team: 'team-north',
      assignee: 'sw-0025',
      stepId: 'icpc',
      dueDate: '2026-12-01',
    });
    expect(listing.steps.map((s) => s.dueDate)).toEqual([...listing.steps.map((s) => s.dueDate)].sort());
    expect(listing.steps.some((s) => s.dueDate >= today)).toBe(false);
    const references = new Set(listing.steps.map((s) => s.caseReference));
    for (const n of [31, 32, 33, 34, 35]) expect(references.has(`CP-2027-0000${n}`)).toBe(false);
    expect(listing.unreadable).toEqual([]);
  });

  it('filters by team in the visibility query', async () => {
    const rows = await readOverdueRows(temporal().client, { today, team: 'team-south', pageSize: 3 });
    expect(rows.map((r) => r.caseReference).sort()).toEqual([26, 27, 28, 29, 30].map((n) => `CP-2027-0000${n}`));
    const south = await listOverdueSteps(temporal().client, { today, team: 'team-south' });
    expect(new Set(south.steps.map((s) => s.team))).toEqual(new Set(['team-south']));
    expect(south.steps).toHaveLength(10);
    expect(south.steps.at(-1)).toMatchObject({ stepId: 'core-group-2', dueDate: '2026-12-30', workingDaysOverdue: 4 });
  });

  it('finds a case on the day after its due date, and not before', async () => {
    const references = async (day: string) =>
      (await readOverdueRows(temporal().client, { today: parseIsoDate(day, 'today') })).map((r) => r.caseReference);
    expect(await references('2027-01-06')).not.toContain('CP-2027-000031');
    expect(await references('2027-01-07')).toContain('CP-2027-000031');
    expect(await references('2027-01-07')).not.toContain('CP-2027-000032');
    expect(await references('2027-01-08')).toContain('CP-2027-000032');
    const row = (await readOverdueRows(temporal().client, { today, team: 'team-north' })).find(
      (r) => r.caseReference === 'CP-2027-000001',
    );
    expect(row).toEqual({
      caseReference: 'CP-2027-000001',
      team: 'team-north',
      assignee: 'sw-0001',
      openStepDues: ['icpc@2026-12-25', 'visit-2@2027-01-20'],
    });
  });
});
