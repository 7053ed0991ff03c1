/**
 * `cpflow overdue` against real visibility (the in-memory server's ListWorkflowExecutions): open cases with
 * overdue steps only, the team filter in the query, every page read, sorted client-side. Namespace `default`
 * holds cases of runs started before the due-dates patch (`CpflowOverdueSteps`); namespace `cases-mixed` holds
 * cases publishing their open steps' due dates (`CpflowOpenStepDues`, `CpflowEarliestDue`) beside old ones.
 */
import { Client, Connection } from '@temporalio/client';
import { type SearchAttributePair, type SearchAttributeUpdatePair, TypedSearchAttributes } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOverdueSteps, readOverdueRows } from '../../cli/cases/overdue';
import { parseIsoDate } from '../../domain/calendar';
import { startTestServer } from '../../test-server';
import { registerSearchAttributes } from '../../worker/search-attributes';
import {
  CPFLOW_ASSIGNEE,
  CPFLOW_CASE_OPEN,
  CPFLOW_EARLIEST_DUE,
  CPFLOW_OPEN_STEP_DUES,
  CPFLOW_OVERDUE_STEPS,
  CPFLOW_TEAM,
} from '../../workflows/search-attributes';

let server: Awaited<ReturnType<typeof startTestServer>>;
let connection: Connection;
let client: Client;
/** Client of the `cases-mixed` namespace. */
let mixed: Client;
const today = parseIsoDate('2027-01-06', 'today');

/** Starts a case that never runs (no worker): it stays open with its team, assignee, open flag and `steps`. */
async function startCase(on: Client, workflowId: string, n: number, team: string, steps: SearchAttributeUpdatePair[], open: boolean): Promise<void> {
  await on.workflow.start('caseWorkflow', {
    workflowId,
    taskQueue: 'no-worker',
    args: [],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: CPFLOW_TEAM, value: team },
      { key: CPFLOW_ASSIGNEE, value: `sw-${String(n).padStart(4, '0')}` },
      { key: CPFLOW_CASE_OPEN, value: open },
      ...steps,
    ] as SearchAttributePair[]),
  });
}

/** Starts an old-style case (CpflowOverdueSteps) in the default namespace. */
async function openCase(n: number, team: string, overdue: string[], open = true): Promise<void> {
  await startCase(client, `CP-2026-${String(n).padStart(6, '0')}`, n, team, overdue.length > 0 ? [{ key: CPFLOW_OVERDUE_STEPS, value: overdue }] : [], open);
}

/** How a case publishes its steps in {@link startMixedCase}. */
type Published =
  | { readonly openStepDues: readonly string[]; readonly earliestDue?: string }
  | { readonly overdueSteps: readonly string[] };

/** Starts a case in `cases-mixed` that never runs (no worker), with the given search attributes. */
async function startMixedCase(n: number, team: string, published: Published, open = true): Promise<void> {
  const steps =
    'openStepDues' in published
      ? [
          ...(published.openStepDues.length > 0
            ? [{ key: CPFLOW_OPEN_STEP_DUES, value: [...published.openStepDues] }]
            : []),
          ...(published.earliestDue !== undefined
            ? [{ key: CPFLOW_EARLIEST_DUE, value: new Date(`${published.earliestDue}T00:00:00Z`) }]
            : []),
        ]
      : published.overdueSteps.length > 0
        ? [{ key: CPFLOW_OVERDUE_STEPS, value: [...published.overdueSteps] }]
        : [];
  await startCase(mixed, `CP-2027-${String(n).padStart(6, '0')}`, n, team, steps, open);
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

  await connection.workflowService.registerNamespace({ namespace: 'cases-mixed' });
  await registerSearchAttributes(connection, 'cases-mixed');
  mixed = new Client({ connection, namespace: 'cases-mixed' });
  // Today is Wednesday 6 January 2027.
  await startMixedCase(1, 'team-north', {
    openStepDues: ['icpc@2027-01-05', 'visit-2@2027-01-12'],
    earliestDue: '2027-01-05', // due yesterday: overdue
  });
  await startMixedCase(2, 'team-north', { openStepDues: ['icpc@2027-01-06'], earliestDue: '2027-01-06' }); // due today
  await startMixedCase(3, 'team-south', {
    openStepDues: ['core-group-2@2026-12-24', 'visit-3@2027-01-06'],
    earliestDue: '2026-12-24',
  });
  await startMixedCase(4, 'team-north', { openStepDues: [] }); // nothing open
  await startMixedCase(5, 'team-south', { openStepDues: ['icpc@2026-12-01'], earliestDue: '2026-12-01' }, false); // closed
  await startMixedCase(6, 'team-north', { openStepDues: ['icpc@2026-12-02'], earliestDue: '2026-12-02' });
  await mixed.workflow.getHandle('CP-2027-000006').terminate('test: a terminated case is not open');
  await startMixedCase(7, 'team-north', { overdueSteps: ['visit-2@2027-01-04'] }); // a run from before the patch
  await startMixedCase(8, 'team-south', { overdueSteps: [] }); // a run from before the patch, nothing overdue
  await startMixedCase(9, 'team-south', {
    openStepDues: ['icpc@2027-01-07', 'rcpc-1@2027-03-01'],
    earliestDue: '2027-01-07',
  });
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

describe("cpflow overdue from visibility: cases publishing their open steps' due dates", () => {
  it('finds exactly the open cases with a step due before today, and the old-style cases with overdue steps', async () => {
    const rows = await readOverdueRows(mixed, { today, pageSize: 2 });
    expect(rows.map((r) => r.caseReference).sort()).toEqual(['CP-2027-000001', 'CP-2027-000003', 'CP-2027-000007']);
    expect(rows.find((r) => r.caseReference === 'CP-2027-000001')).toEqual({
      caseReference: 'CP-2027-000001',
      team: 'team-north',
      assignee: 'sw-0001',
      openStepDues: ['icpc@2027-01-05', 'visit-2@2027-01-12'],
    });
    expect(rows.find((r) => r.caseReference === 'CP-2027-000007')).toEqual({
      caseReference: 'CP-2027-000007',
      team: 'team-north',
      assignee: 'sw-0007',
      overdueSteps: ['visit-2@2027-01-04'],
    });
  });

  it('lists both kinds together, most overdue first, only steps due before today', async () => {
    const listing = await listOverdueSteps(mixed, { today });
    expect(listing.steps.map((s) => `${s.caseReference} ${s.stepId}@${s.dueDate} ${s.workingDaysOverdue}`)).toEqual([
      'CP-2027-000003 core-group-2@2026-12-24 6',
      'CP-2027-000007 visit-2@2027-01-04 2',
      'CP-2027-000001 icpc@2027-01-05 1',
    ]);
    expect(listing.unreadable).toEqual([]);
  });

  it('finds a case on the day after its due date, and not before', async () => {
    const tomorrow = parseIsoDate('2027-01-07', 'today');
    const references = async (day: typeof today) =>
      (await readOverdueRows(mixed, { today: day })).map((r) => r.caseReference).sort();
    expect(await references(tomorrow)).toEqual([
      'CP-2027-000001',
      'CP-2027-000002',
      'CP-2027-000003',
      'CP-2027-000007',
    ]);
    expect(await references(parseIsoDate('2027-01-08', 'today'))).toContain('CP-2027-000009');
    const listing = await listOverdueSteps(mixed, { today: tomorrow, team: 'team-south' });
    expect(listing.steps.map((s) => `${s.caseReference} ${s.stepId}@${s.dueDate}`)).toEqual([
      'CP-2027-000003 core-group-2@2026-12-24',
      'CP-2027-000003 visit-3@2027-01-06',
    ]);
  });

  it('filters by team in the visibility query', async () => {
    const rows = await readOverdueRows(mixed, { today, team: 'team-south' });
    expect(rows.map((r) => r.caseReference)).toEqual(['CP-2027-000003']);
    const north = await listOverdueSteps(mixed, { today, team: 'team-north' });
    expect(north.steps.map((s) => s.caseReference)).toEqual(['CP-2027-000007', 'CP-2027-000001']);
  });
});
