/**
 * The representative cases whose histories are recorded for the replay test: a twelve-month case with a
 * forensic wait, a LADO referral, an 18-month forensic wait continuing as new, and a case given every command
 * (extension, not required, risk judgement, holidays applied, reassignment, the police side). Each case runs to closure
 * in virtual time; every run of the case and of its children is recorded.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { caseWorkflow } from '../../workflows';
import { longForensicWait, type Scenario, twelveMonthCase } from '../workflows/scenarios';
import {
  advanceTo,
  caseInput,
  createCaseWorker,
  ev,
  outsideWorld,
  recordOn,
  referral,
  runsOf,
  type WorkflowRun,
} from '../workflows/support';
import { applyHolidaysUpdate, correctEventUpdate, type RunLimits } from '../../workflows/case/messages';
import type { EventCorrection } from '../../domain/case-process';
import type { Holiday, IsoDate } from '../../domain/calendar';

/** A recorded case. */
export interface RecordedCase {
  readonly name: string;
  readonly scenario: Scenario;
  readonly limits?: RunLimits;
  /** UK date the case is opened, when later than the referral (default: the referral date, 08:00). */
  readonly openedOn?: string;
  /** Events corrected (the `correctEvent` update) at 12:00 on a date, after that day's events. */
  readonly corrections?: readonly { readonly on: string; readonly correction: EventCorrection }[];
  /** Newly announced holidays applied (the `applyHolidays` update) at 09:00 on a date, before that day's events. */
  readonly holidaysApplied?: { readonly on: string; readonly holidays: readonly Holiday[] };
}

/** The cases recorded. */
export function representativeCases(): RecordedCase[] {
  const ladoRef = referral(
    '2027-01-04',
    {
      allegedPerson: {
        livesWithChildren: true,
        regularContactWithChildren: false,
        worksOrVolunteersWithChildren: true,
        holdsPositionOfTrust: false,
      },
    },
    'CP-2027-000002',
  );
  return [
    { name: 'twelve-month-forensic', scenario: twelveMonthCase('CP-2027-000001') },
    {
      name: 'lado-referral',
      scenario: {
        referral: ladoRef,
        events: [
          ev('2027-01-04', { type: 'strategy-discussion', section47: 'initiated', questions: {}, riskFactors: [] }),
          ev('2027-01-11', { type: 'lado-referral-acknowledged' }),
          ev('2027-01-20', { type: 'lado-outcome', outcome: 'unsubstantiated' }),
          ev('2027-01-21', { type: 'icpc-not-required', reason: 'concerns-not-substantiated' }),
          ev('2027-02-01', { type: 'case-closed', reason: 'no-further-action-after-assessment' }),
        ],
        until: '2027-02-01' as Scenario['until'],
      },
    },
    {
      name: 'eighteen-month-continue-as-new',
      scenario: longForensicWait(18, 'CP-2027-000003'),
      limits: { historyLength: 150 },
    },
    {
      // Every command a practitioner or manager gives a case, and every message a case and its children exchange.
      name: 'every-command',
      corrections: [
        {
          on: '2027-01-08',
          correction: {
            seq: 6,
            action: 'amend',
            reason: 'wrong-details',
            recordedBy: 'tm-0007',
            event: ev('2027-01-08', {
              type: 'risk-judgement',
              analysed: ['severity', 'likelihood'],
              harmConsequences: 'extreme',
              probability: 'likely',
            }),
          },
        },
        {
          // The bail extension (entry 10), which the running forensic wait follows: it is told the corrected list.
          on: '2027-01-13',
          correction: {
            seq: 10,
            action: 'amend',
            reason: 'wrong-date',
            recordedBy: 'tm-0007',
            event: ev('2027-01-13', {
              type: 'police-bail',
              action: 'extended',
              bailUntil: '2027-06-30',
              authorisedBy: 'inspector',
            }),
          },
        },
      ],
      holidaysApplied: {
        on: '2027-01-11',
        holidays: [{ date: '2027-06-07' as IsoDate, name: 'Additional bank holiday', source: 'gov.uk' }],
      },
      scenario: {
        referral: referral(
          '2027-01-04',
          { police: { devicesSeized: { count: 1, seizedOn: '2027-01-04' }, preChargeBailGrantedOn: '2027-01-04' } },
          'CP-2027-000005',
        ),
        events: [
          ev('2027-01-04', { type: 'referral-decision', decision: 'section-47-enquiry' }),
          ev('2027-01-05', { type: 'strategy-discussion', section47: 'initiated', questions: {}, riskFactors: [] }),
          ev('2027-01-05', {
            type: 'deadline-extended',
            stepId: 'partner-interview',
            newDueDate: '2027-01-08',
            reason: 'family-unavailable',
            agreedBy: 'tm-0007',
          }),
          ev('2027-01-06', {
            type: 'step-not-required',
            stepId: 'alleged-perpetrator-interview',
            reason: 'not-applicable-to-household',
          }),
          ev('2027-01-07', { type: 'partner-interview' }),
          ev('2027-01-08', {
            type: 'risk-judgement',
            analysed: ['severity', 'likelihood'],
            harmConsequences: 'serious',
            probability: 'likely',
          }),
          ev('2027-01-12', { type: 'practitioner-reassigned', practitionerId: 'sw-0099', teamId: 'team-south' }),
          ev('2027-01-13', {
            type: 'police-bail',
            action: 'extended',
            bailUntil: '2027-07-02',
            authorisedBy: 'inspector',
          }),
          ev('2027-01-14', { type: 'icpc-not-required', reason: 'concerns-not-substantiated' }),
          ev('2027-01-15', { type: 'released-under-investigation' }),
          ev('2027-01-18', { type: 'forensic-update', status: 'examination-in-progress' }),
          ev('2027-01-19', { type: 'police-outcome', outcome: 'no-further-action' }),
          ev('2027-01-20', { type: 'case-closed', reason: 'no-further-action-after-assessment' }),
        ],
        until: '2027-01-20' as Scenario['until'],
      },
    },
    {
      name: 'opened-late',
      openedOn: '2027-01-12',
      scenario: {
        referral: referral('2027-01-04', {}, 'CP-2027-000004'),
        events: [
          ev('2027-01-12', { type: 'referral-decision', decision: 'section-47-enquiry' }),
          ev('2027-01-14', { type: 'case-closed', reason: 'no-further-action-after-assessment' }),
        ],
        until: '2027-01-14' as Scenario['until'],
      },
    },
  ];
}

/** Runs a case to closure in `env` and returns every run of it and of its children. */
export async function recordCase(env: TestWorkflowEnvironment, recorded: RecordedCase): Promise<WorkflowRun[]> {
  const { scenario } = recorded;
  const taskQueue = `tq-${randomUUID()}`;
  const worker = await createCaseWorker(env, taskQueue, outsideWorld());
  const ref = scenario.referral.caseReference;
  await worker.runUntil(async () => {
    await advanceTo(env, recorded.openedOn ?? scenario.referral.receivedOn, recorded.openedOn === undefined ? 8 : 9);
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      taskQueue,
      workflowId: ref,
      args: [caseInput(scenario.referral, recorded.limits)],
    });
    let holidays = recorded.holidaysApplied;
    for (const [i, event] of scenario.events.entries()) {
      if (holidays !== undefined && event.occurredOn >= holidays.on) {
        await advanceTo(env, holidays.on, 9);
        await handle.executeUpdate(applyHolidaysUpdate, {
          args: [{ holidays: holidays.holidays, appliedBy: 'tm-0007' }],
        });
        holidays = undefined;
      }
      await recordOn(env, handle, event);
      if (scenario.events[i + 1]?.occurredOn === event.occurredOn) continue;
      for (const { on, correction } of recorded.corrections ?? []) {
        if (on !== event.occurredOn) continue;
        await advanceTo(env, on, 12);
        await handle.executeUpdate(correctEventUpdate, { args: [correction] });
      }
    }
    await handle.result();
  });
  const runs: WorkflowRun[] = [];
  for (const workflowId of [ref, `${ref}-lado`, `${ref}-forensic`]) runs.push(...(await runsOf(env, workflowId)));
  return runs;
}
