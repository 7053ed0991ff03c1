/**
 * The case commands end to end, as users run them: Temporal's dev server (wall-clock time), a cpflow worker in
 * this process with the real case workflows, and the `cpflow` bin spawned with TEMPORAL_ADDRESS.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { payloadKeysForStart } from '../../client/payload-keys';
import { cpflowDataConverter } from '../../client/temporal-settings';
import { todayInEngland } from '../../cli/options';
import type { OverdueListing } from '../../cli/cases/overdue';
import { loadCalendarData } from '../../config/holidays';
import { addDays, type IsoDate, WorkingDayCalendar, yearOf } from '../../domain/calendar';
import type { DatedStep, Timeline, TimelineStep } from '../../domain/planner';
import { InMemorySentLog } from '../../mail/sent-log';
import { SyntheticStaffDirectory } from '../../mail/staff-directory';
import { SimulatedMailer } from '../../simulation/simulated-mailer';
import { createCpflowWorker } from '../../worker/worker';
import type { AuditEntry, CaseStatus, CommandReceipt } from '../../workflows/case/messages';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { cpflow, ROOT } from './support/run-cli';

const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});
let worker: Worker;
let running: Promise<void>;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'cpflow-e2e-'));
const today = todayInEngland();
const calendar = WorkingDayCalendar.fromData(
  loadCalendarData({ fromYear: yearOf(today) - 1, toYear: yearOf(today) + 1 }),
);

/** The working day `n` working days before `date`. */
function workingDaysBefore(date: IsoDate, n: number): IsoDate {
  let d = date;
  for (let left = n; left > 0; left -= 1) d = calendar.previousWorkingDay(d);
  return d;
}

/** A weekend day on or after `from` and not after today (an ICPC can never be held on one). */
function recentWeekendDay(from: IsoDate): IsoDate | undefined {
  for (let d = from; d <= today; d = addDays(d, 1))
    if ([0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay())) return d;
  return undefined;
}

const receivedOn = workingDaysBefore(today, 8);
const caseReference = `CP-${yearOf(today)}-${String(randomInt(900_000, 999_999))}`;

beforeAll(async () => {
  worker = await createCpflowWorker({
    connection: temporal().nativeConnection,
    namespace: 'default',
    // The worker and the CLI share the data folder's payload keys, as `npm start` and its CLI do.
    dataConverter: cpflowDataConverter(await payloadKeysForStart({}, dir)),
    activities: createActivities({
      mailer: new SimulatedMailer(),
      sentLog: new InMemorySentLog(),
      directory: new SyntheticStaffDirectory(),
    }),
  });
  running = worker.run();
  env = { TEMPORAL_ADDRESS: temporal().address, CPFLOW_DATA_DIR: dir };
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => undefined);
});

function referralFile(): string {
  const referral = JSON.parse(readFileSync(join(ROOT, 'examples/referral.json'), 'utf8')) as Record<string, unknown>;
  const file = join(dir, 'referral.json');
  writeFileSync(
    file,
    JSON.stringify({ ...referral, caseReference, receivedOn, police: { devicesSeized: { count: 0 } } }),
  );
  return file;
}

describe('duty team → practitioner → manager, through the cpflow command line', () => {
  it('opens a case, records events, refuses a bad one, shows it, lists it overdue, and closes it', async () => {
    // Duty team: open the case.
    const file = referralFile();
    const created = await cpflow(['referral', 'create', '--file', file, '--json'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const opened = JSON.parse(created.stdout) as {
      caseReference: string;
      policy: string;
      teamId: string;
      timeline: Timeline;
    };
    expect(opened).toMatchObject({ caseReference, policy: 'pan-bedfordshire', teamId: 'team-north' });
    const strategy = opened.timeline.steps.find((s) => s.id === 'strategy-discussion') as DatedStep;
    expect(strategy.dueDate).toBe(calendar.addWorkingDays(receivedOn, 1));
    expect(strategy.status).toBe('overdue');

    const table = await cpflow(['referral', 'create', '--file', file], env);
    expect(table.code).toBe(1);
    expect(table.stderr).toContain(`case ${caseReference} already exists`);

    // Practitioner: record the referral decision (dated the day received) from an example file.
    const recorded = await cpflow(
      [
        'case',
        'record',
        caseReference,
        'referral-decision',
        '--file',
        'examples/events/referral-decision.json',
        '--on',
        receivedOn,
        '--json',
      ],
      env,
    );
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    const receipt = JSON.parse(recorded.stdout) as CommandReceipt;
    expect(receipt).toMatchObject({
      caseReference,
      recorded: 'referral-decision',
      auditSeq: 1,
      stage: 'strategy-discussion',
    });

    // A refused command names the field and the rule, and changes nothing.
    const future = await cpflow(
      [
        'case',
        'record',
        caseReference,
        'partner-interview',
        '--file',
        'examples/events/partner-interview.json',
        '--on',
        addDays(today, 7),
      ],
      env,
    );
    expect(future.code).toBe(1);
    expect(future.stderr).toContain(`case ${caseReference}: recordEvent partner-interview refused (CommandRefused):`);
    expect(future.stderr).toContain('occurredOn: must not be in the future');
    expect(future.stderr).toContain('(nothing was changed)');
    const weekend = recentWeekendDay(receivedOn);
    if (weekend !== undefined) {
      const icpc = await cpflow(
        ['case', 'record', caseReference, 'icpc', '--file', 'examples/events/icpc.json', '--on', weekend],
        env,
      );
      expect(icpc.code).toBe(1);
      expect(icpc.stderr).toContain('census rule 8875');
    }

    // Reassign (convenience form) and show.
    const reassigned = await cpflow(['case', 'reassign', caseReference, '--to', 'sw-0077', '--by', 'tm-007'], env);
    expect(reassigned.stderr).toBe('');
    expect(reassigned.stdout).toContain(`Case ${caseReference}: practitioner-reassigned recorded (audit #2`);

    const shown = await cpflow(['case', 'show', caseReference, '--json'], env);
    expect(shown.code).toBe(0);
    const view = JSON.parse(shown.stdout) as {
      status: CaseStatus;
      overdueSteps: TimelineStep[];
      audit: AuditEntry[];
      auditCount: number;
    };
    expect(view.status).toMatchObject({
      caseReference,
      stage: 'strategy-discussion',
      open: true,
      teamId: 'team-north',
      practitionerId: 'sw-0077',
    });
    expect(view.auditCount).toBe(2);
    expect(view.audit.map((a) => [a.recordedBy, a.event?.type])).toEqual([
      ['sw-0042', 'referral-decision'],
      ['tm-007', 'practitioner-reassigned'],
    ]);
    expect(view.overdueSteps.map((s) => s.id)).toContain('strategy-discussion');
    expect(view.overdueSteps.map((s) => s.id)).not.toContain('referral-decision');

    const text = await cpflow(['case', 'show', caseReference], env);
    expect(text.stdout).toContain(
      `Case ${caseReference}: open, stage strategy-discussion; team-north; assigned to sw-0077`,
    );
    expect(text.stdout).toMatch(/Overdue: .*strategy-discussion \(due \d{4}-\d\d-\d\d\)/);
    expect(text.stdout).toMatch(/#2 {2}\S+ {2}tm-007 {2}practitioner-reassigned on /);

    // Manager: the overdue list, from visibility.
    const overdue = await cpflow(['overdue', '--json'], env);
    expect(overdue.stderr).toBe('');
    const listing = JSON.parse(overdue.stdout) as OverdueListing;
    const mine = listing.steps.filter((s) => s.caseReference === caseReference);
    expect(mine.map((s) => s.stepId)).toContain('strategy-discussion');
    expect(mine.find((s) => s.stepId === 'strategy-discussion')).toMatchObject({
      team: 'team-north',
      assignee: 'sw-0077',
      dueDate: strategy.dueDate,
      workingDaysOverdue: calendar.workingDaysBetween(strategy.dueDate, today),
    });
    expect(listing.steps.map((s) => s.dueDate)).toEqual([...listing.steps.map((s) => s.dueDate)].sort());
    const otherTeam = JSON.parse(
      (await cpflow(['overdue', '--team', 'team-south', '--json'], env)).stdout,
    ) as OverdueListing;
    expect(otherTeam.steps.filter((s) => s.caseReference === caseReference)).toEqual([]);
    const overdueTable = await cpflow(['overdue', '--team', 'team-north'], env);
    expect(overdueTable.stdout).toMatch(
      new RegExp(
        `^\\d+\\s+${caseReference}\\s+${strategy.dueDate}\\s+sw-0077\\s+team-north\\s+strategy-discussion$`,
        'm',
      ),
    );

    // A mistake corrected: the decision amended (same type, reason given), a made-up entry refused.
    const amendFile = join(mkdtempSync(join(tmpdir(), 'cpflow-amend-')), 'decision.json');
    writeFileSync(
      amendFile,
      JSON.stringify({
        type: 'referral-decision',
        decision: 'section-47-enquiry',
        occurredOn: receivedOn,
        recordedBy: 'sw-0042',
      }),
    );
    const amended = await cpflow(
      ['case', 'amend', caseReference, '1', '--file', amendFile, '--reason', 'wrong-details', '--by', 'tm-007'],
      env,
    );
    expect(amended.stderr).toBe('');
    expect(amended.stdout).toContain(`Case ${caseReference}: referral-decision recorded (audit #3`);
    const missing = await cpflow(
      ['case', 'withdraw', caseReference, '9', '--reason', 'recorded-in-error', '--by', 'tm-007'],
      env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('seq: must be the audit position of an event still on the case (correction)');

    // A newly announced holiday, then closure; a closed case accepts nothing more and leaves the overdue list.
    const holiday = await cpflow(
      [
        'case',
        'holidays',
        'apply',
        caseReference,
        '--date',
        calendar.addWorkingDays(today, 20),
        '--name',
        'Extra bank holiday',
        '--by',
        'tm-007',
      ],
      env,
    );
    expect(holiday.stderr).toBe('');
    expect(holiday.stdout).toContain(`applied to 1 of 1 case(s)`);
    expect(holiday.stdout).toContain(`${caseReference}: applied`);

    const closed = await cpflow(
      ['case', 'close', caseReference, '--reason', 'no-further-action-after-assessment', '--by', 'sw-0077'],
      env,
    );
    expect(closed.stderr).toBe('');
    expect(closed.stdout).toContain('case-closed recorded');
    const after = await cpflow(['case', 'record', caseReference, 'visit', '--file', 'examples/events/visit.json'], env);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(new RegExp(`case ${caseReference} is closed|the case is closed`));
    const closedView = JSON.parse((await cpflow(['case', 'show', caseReference, '--json'], env)).stdout) as {
      status: CaseStatus;
      auditCount: number;
    };
    expect(closedView.status).toMatchObject({ stage: 'closed', open: false, overdue: [] });
    expect(closedView.auditCount).toBe(5); // decision, reassignment, correction, holiday, closure
    const finalListing = JSON.parse((await cpflow(['overdue', '--json'], env)).stdout) as OverdueListing;
    expect(finalListing.steps.filter((s) => s.caseReference === caseReference)).toEqual([]);
  }, 300_000);

  it('says so when the case does not exist', async () => {
    const run = await cpflow(['case', 'show', 'CP-2026-000000'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no case CP-2026-000000');
  }, 60_000);
});
