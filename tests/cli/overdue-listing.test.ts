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
  {
    caseReference: 'CP-2026-000003',
    team: 'team-south',
    assignee: 'sw-0003',
    openStepDues: ['visit-2@2027-01-04', 'rcpc-1@2027-02-10'],
  },
  {
    caseReference: 'CP-2026-000001',
    team: 'team-north',
    assignee: 'sw-0001',
    openStepDues: ['icpc@2026-12-21', 'partner-interview@2026-12-24'],
  },
  {
    caseReference: 'CP-2026-000002',
    team: 'team-north',
    assignee: 'sw-0002',
    openStepDues: ['icpc@2026-12-21', 'garbage', 'visit-1@2027-01-06'],
  },
  { caseReference: 'CP-2026-000004', openStepDues: [] },
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

  it('asks visibility for running open cases with a step due before today, without ORDER BY, quoting the team', () => {
    expect(overdueVisibilityQuery(today)).toBe(
      "ExecutionStatus = 'Running' AND CpflowCaseOpen = true AND CpflowEarliestDue < '2027-01-06T00:00:00Z'",
    );
    expect(overdueVisibilityQuery(today, "team-o'x")).toMatch(/ AND CpflowTeam = 'team-o''x'$/);
    expect(overdueVisibilityQuery(today, 'team-north')).not.toMatch(/ORDER BY/i);
  });

  it('prints a table with the columns a manager needs', () => {
    const table = formatOverdueTable(overdueStepsOf(rows, { today }));
    const lines = table.split('\n');
    expect(lines.slice(0, 2).join(' ')).toBe(
      '4 overdue step(s) in 3 open case(s) (all teams, as of 2027-01-06), most overdue first; WD LATE = working days overdue',
    );
    expect(lines[3]).toMatch(/^WD LATE\s+CASE\s+DUE\s+ASSIGNEE\s+TEAM\s+STEP$/);
    expect(lines[4]).toMatch(/^9\s+CP-2026-000001\s+2026-12-21\s+sw-0001\s+team-north\s+icpc$/);
    // Readable in a terminal of 80 columns.
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    expect(formatOverdueTable(overdueStepsOf([], { today, team: 'team-north' }))).toBe(
      'No overdue steps (team-north, as of 2027-01-06).',
    );
  });
});

/** The listing's lines as `case step@due (working days overdue)`. */
function lines(listing: ReturnType<typeof overdueStepsOf>): string[] {
  return listing.steps.map((s) => `${s.caseReference} ${s.stepId}@${s.dueDate} (${s.workingDaysOverdue})`);
}

describe("cpflow overdue: cases publishing their open steps' due dates (CpflowOpenStepDues)", () => {
  it('lists the steps due before today — due yesterday is 1 working day overdue; due today or later is not listed', () => {
    const row: OverdueVisibilityRow = {
      caseReference: 'CP-2026-000010',
      team: 'team-north',
      assignee: 'sw-0010',
      openStepDues: ['visit-2@2027-01-05', 'icpc@2027-01-06', 'core-group-2@2027-01-20'],
    };
    expect(lines(overdueStepsOf([row], { today }))).toEqual(['CP-2026-000010 visit-2@2027-01-05 (1)']);
    expect(overdueStepsOf([row], { today }).steps[0]).toEqual({
      caseReference: 'CP-2026-000010',
      team: 'team-north',
      assignee: 'sw-0010',
      stepId: 'visit-2',
      dueDate: '2027-01-05',
      workingDaysOverdue: 1,
    });
    // The next day the step due on the 6th is overdue too, without the case having published anything new.
    expect(lines(overdueStepsOf([row], { today: parseIsoDate('2027-01-07', 'today') }))).toEqual([
      'CP-2026-000010 visit-2@2027-01-05 (2)',
      'CP-2026-000010 icpc@2027-01-06 (1)',
    ]);
  });

  it('counts from the day after the due date across weekends and bank holidays', () => {
    const row: OverdueVisibilityRow = {
      caseReference: 'CP-2026-000011',
      openStepDues: ['partner-interview@2026-12-24', 'visit-3@2027-01-08'],
    };
    // Tuesday 29 December 2026: Christmas (Fri 25) and the Boxing Day substitute (Mon 28) are not working days.
    expect(lines(overdueStepsOf([row], { today: parseIsoDate('2026-12-29', 'today') }))).toEqual([
      'CP-2026-000011 partner-interview@2026-12-24 (1)',
    ]);
    // A step due on Friday is overdue from Saturday 00:00, with no working day overdue yet; 1 on Monday.
    expect(lines(overdueStepsOf([row], { today: parseIsoDate('2027-01-09', 'today') }))).toContain(
      'CP-2026-000011 visit-3@2027-01-08 (0)',
    );
    expect(lines(overdueStepsOf([row], { today: parseIsoDate('2027-01-11', 'today') }))).toContain(
      'CP-2026-000011 visit-3@2027-01-08 (1)',
    );
    // Due on Thursday 31 December: on Monday 4 January (New Year's Day a Friday) it is 1 working day overdue.
    const newYear: OverdueVisibilityRow = { caseReference: 'CP-2026-000012', openStepDues: ['icpc@2026-12-31'] };
    expect(lines(overdueStepsOf([newYear], { today: parseIsoDate('2027-01-04', 'today') }))).toEqual([
      'CP-2026-000012 icpc@2026-12-31 (1)',
    ]);
  });

  it('lists the steps of several cases together, most overdue first', () => {
    const mixed: OverdueVisibilityRow[] = [
      ...rows,
      { caseReference: 'CP-2026-000020', team: 'team-north', openStepDues: ['icpc@2026-12-22', 'visit-2@2027-02-01'] },
      { caseReference: 'CP-2026-000021', team: 'team-south', openStepDues: ['rcpc-1@2027-01-05'] },
    ];
    expect(lines(overdueStepsOf(mixed, { today }))).toEqual([
      'CP-2026-000001 icpc@2026-12-21 (9)',
      'CP-2026-000002 icpc@2026-12-21 (9)',
      'CP-2026-000020 icpc@2026-12-22 (8)',
      'CP-2026-000001 partner-interview@2026-12-24 (6)',
      'CP-2026-000003 visit-2@2027-01-04 (2)',
      'CP-2026-000021 rcpc-1@2027-01-05 (1)',
    ]);
    expect(lines(overdueStepsOf(mixed, { today, team: 'team-south' }))).toEqual([
      'CP-2026-000003 visit-2@2027-01-04 (2)',
      'CP-2026-000021 rcpc-1@2027-01-05 (1)',
    ]);
  });

  it('lists nothing for a case whose open steps are all due today or later, or that has none', () => {
    const row: OverdueVisibilityRow = { caseReference: 'CP-2026-000030', openStepDues: ['visit-2@2027-01-10'] };
    expect(overdueStepsOf([row], { today }).steps).toEqual([]);
    expect(overdueStepsOf([{ ...row, openStepDues: [] }], { today }).steps).toEqual([]);
  });

  it('reports unreadable due-date values, whatever their date, instead of dropping them', () => {
    const row: OverdueVisibilityRow = {
      caseReference: 'CP-2026-000031',
      openStepDues: ['icpc@2027-01-05', 'icpc', 'visit-2@2027-02-30', 'core-group-2@2099-01-01'],
    };
    const listing = overdueStepsOf([row], { today });
    expect(lines(listing)).toEqual(['CP-2026-000031 icpc@2027-01-05 (1)']);
    expect(listing.unreadable).toEqual([
      { caseReference: 'CP-2026-000031', value: 'icpc' },
      { caseReference: 'CP-2026-000031', value: 'visit-2@2027-02-30' },
    ]);
  });
});
