import { describe, expect, it } from 'vitest';
import {
  formatOverdueTable,
  overdueStepsOf,
  overdueVisibilityQuery,
  parseOverdueStepValue,
  type OverdueVisibilityRow,
} from '../../cli/cases/overdue';
import { parseIsoDate } from '../../domain/calendar';

const today = parseIsoDate('2027-01-06', 'today');

/** Visibility rows as three open cases publish them. */
const rows: OverdueVisibilityRow[] = [
  { caseReference: 'CP-2026-000003', team: 'team-south', assignee: 'sw-0003', overdueSteps: ['visit-2@2027-01-04'] },
  {
    caseReference: 'CP-2026-000001',
    team: 'team-north',
    assignee: 'sw-0001',
    overdueSteps: ['icpc@2026-12-21', 'partner-interview@2026-12-24'],
  },
  {
    caseReference: 'CP-2026-000002',
    team: 'team-north',
    assignee: 'sw-0002',
    overdueSteps: ['icpc@2026-12-21', 'garbage'],
  },
  { caseReference: 'CP-2026-000004', overdueSteps: [] },
];

describe('cpflow overdue: listing from visibility rows', () => {
  it('lists one line per overdue step, most overdue first, ties by case then step', () => {
    const listing = overdueStepsOf(rows, { today });
    expect(listing.steps.map((s) => `${s.caseReference} ${s.stepId} ${s.dueDate}`)).toEqual([
      'CP-2026-000001 icpc 2026-12-21',
      'CP-2026-000002 icpc 2026-12-21',
      'CP-2026-000001 partner-interview 2026-12-24',
      'CP-2026-000003 visit-2 2027-01-04',
    ]);
    expect(listing.steps[0]).toEqual({
      caseReference: 'CP-2026-000001',
      team: 'team-north',
      assignee: 'sw-0001',
      stepId: 'icpc',
      dueDate: '2026-12-21',
      // Working days after 21 Dec up to 6 Jan: 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6 Jan (25, 28 Dec and 1 Jan are bank holidays).
      workingDaysOverdue: 9,
    });
    expect(listing.steps[3].workingDaysOverdue).toBe(2);
  });

  it('reports unreadable values instead of dropping them silently', () => {
    expect(overdueStepsOf(rows, { today }).unreadable).toEqual([{ caseReference: 'CP-2026-000002', value: 'garbage' }]);
    expect(parseOverdueStepValue('icpc@2026-02-30')).toBeUndefined();
    expect(parseOverdueStepValue('rcpc-2@2026-02-27')).toEqual({ stepId: 'rcpc-2', dueDate: '2026-02-27' });
  });

  it('filters by team', () => {
    const listing = overdueStepsOf(rows, { today, team: 'team-south' });
    expect(listing.steps.map((s) => s.caseReference)).toEqual(['CP-2026-000003']);
    expect(overdueStepsOf(rows, { today, team: 'team-east' }).steps).toEqual([]);
  });

  it('asks visibility for running open cases with overdue steps, without ORDER BY, quoting the team', () => {
    expect(overdueVisibilityQuery()).toBe(
      "ExecutionStatus = 'Running' AND CpflowOverdueSteps IS NOT NULL AND CpflowCaseOpen = true",
    );
    expect(overdueVisibilityQuery("team-o'x")).toContain("AND CpflowTeam = 'team-o''x'");
    expect(overdueVisibilityQuery('team-north')).not.toMatch(/ORDER BY/i);
  });

  it('prints a table with the columns a manager needs', () => {
    const table = formatOverdueTable(overdueStepsOf(rows, { today }));
    const lines = table.split('\n');
    expect(lines[0]).toBe('4 overdue step(s) in 3 open case(s) (all teams, as of 2027-01-06), most overdue first');
    expect(lines[2]).toMatch(/^CASE\s+TEAM\s+ASSIGNEE\s+STEP\s+DUE\s+WORKING DAYS OVERDUE$/);
    expect(lines[3]).toMatch(/^CP-2026-000001\s+team-north\s+sw-0001\s+icpc\s+2026-12-21\s+9$/);
    expect(formatOverdueTable(overdueStepsOf([], { today, team: 'team-north' }))).toBe(
      'No overdue steps (team-north, as of 2027-01-06).',
    );
  });
});
