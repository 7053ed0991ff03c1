/**
 * `cpflow plan`: what is due when, and why, for a referral — the procedure's timeline from a few dates.
 *   plan --referral-date D [--strategy-date D] [--icpc-date D] [--today D] [--policy NAME|PATH] [--json]
 * A step counting from an event given no date has no due date yet: it waits for it (no strategy date ⇒ the
 * ICPC waits for the strategy discussion). `--icpc-date` records an ICPC that made a child protection plan.
 */
import { Command, InvalidArgumentError } from 'commander';
import { type IsoDate, parseIsoDate, WorkingDayCalendar, yearOf } from '../../domain/calendar';
import { type CaseEvent, parseCaseEvent, parseReferral, type Referral } from '../../domain/case';
import { planTimeline, type Timeline } from '../../domain/planner';
import { validateEventAgainstCase } from '../../domain/rules';
import { DEFAULT_POLICY_NAME } from '../../config/locations';
import { dayLabel, formatTimelineTable, TABLE_WIDTH, wrap } from '../cases/format';
import { todayInEngland } from '../options';

/** Pseudonymous placeholders: a what-if plan is about no real case. */
const PLAN_CASE_REFERENCE = 'CP-0000-000000';
const PLAN_STAFF_ID = 'sys-001';

interface PlanOptions {
  referralDate: IsoDate;
  strategyDate?: IsoDate;
  icpcDate?: IsoDate;
  today?: IsoDate;
  policy: string;
  json?: boolean;
}

/** An option parser turning a 'YYYY-MM-DD' argument into an IsoDate, naming the option on error. */
function dateOption(option: string): (value: string) => IsoDate {
  return (value) => {
    try {
      return parseIsoDate(value, option);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/** The what-if referral (of one of the policy's authorities): the pathway's presumption that the alleged person lives with children (§2.3, §2.16). */
function planReferral(receivedOn: IsoDate, authority: string): Referral {
  return parseReferral({
    caseReference: PLAN_CASE_REFERENCE,
    authority,
    teamId: 'team-plan',
    practitionerId: PLAN_STAFF_ID,
    receivedOn,
    children: [],
    allegedPerson: {
      livesWithChildren: true,
      regularContactWithChildren: false,
      worksOrVolunteersWithChildren: false,
      holdsPositionOfTrust: false,
    },
    police: { devicesSeized: { count: 0 } },
  });
}

/** Events for the dates given, each checked against the case so far (e.g. census 1104, 8875). */
function planEvents(referral: Referral, options: PlanOptions): CaseEvent[] {
  const events: CaseEvent[] = [];
  const record = (option: string, input: Record<string, unknown>) => {
    const event = parseCaseEvent({ ...input, recordedBy: PLAN_STAFF_ID });
    try {
      validateEventAgainstCase({ referral, events }, event);
    } catch (err) {
      throw new Error(`${option}: ${(err as Error).message}`);
    }
    events.push(event);
  };
  if (options.strategyDate !== undefined) {
    record('--strategy-date', {
      type: 'strategy-discussion',
      occurredOn: options.strategyDate,
      section47: 'initiated',
      questions: {},
      riskFactors: [],
    });
  }
  if (options.icpcDate !== undefined) {
    if (options.strategyDate !== undefined && options.icpcDate < options.strategyDate) {
      throw new Error('--icpc-date: must not be before --strategy-date');
    }
    record('--icpc-date', {
      type: 'icpc',
      occurredOn: options.icpcDate,
      outcome: 'child-protection-plan',
      category: 'sexual-abuse',
    });
  }
  return events;
}

/**
 * The JSON form: `{ policy, referralDate, today, steps: [{ id, title, dueDate?, countsFrom?, waitsFor?, rule, … }] }`
 * (a step waiting for an event has `waitsFor` and no due date).
 */
function toJson(timeline: Timeline, referralDate: IsoDate): string {
  return JSON.stringify(
    {
      policy: timeline.policyId,
      referralDate,
      today: timeline.today,
      steps: timeline.steps.map((s) => ({
        id: s.id,
        title: s.title,
        ...(s.dueDate === undefined ? {} : { dueDate: s.dueDate }),
        ...(s.countsFrom === undefined ? {} : { countsFrom: s.countsFrom }),
        ...(s.waitsFor === undefined ? {} : { waitsFor: s.waitsFor }),
        rule: s.rule,
        status: s.status,
        policyKey: s.policyKey,
      })),
    },
    null,
    2,
  );
}

/** The readable table. */
function toTable(timeline: Timeline, title: string, referralDate: IsoDate): string {
  return [
    ...wrap(`Policy: ${timeline.policyId} — ${title}`, TABLE_WIDTH),
    `Referral received ${dayLabel(referralDate)}; statuses as of ${timeline.today}`,
    '',
    ...formatTimelineTable(timeline.steps),
  ].join('\n');
}

/** Registers `cpflow plan` on the program. */
export function registerPlanCommands(program: Command): void {
  program
    .command('plan')
    .description("Plan a case's procedure: every step's due date, what it counts from and the rule behind it")
    .requiredOption(
      '--referral-date <date>',
      'date the referral was received (YYYY-MM-DD; may be a weekend)',
      dateOption('--referral-date'),
    )
    .option('--strategy-date <date>', 'date the strategy discussion was held', dateOption('--strategy-date'))
    .option('--icpc-date <date>', 'date the ICPC was held (making a child protection plan)', dateOption('--icpc-date'))
    .option('--today <date>', 'date to compute statuses for (default: today in England)', dateOption('--today'))
    .option(
      '--policy <name|path>',
      'local procedure policy: a name under config/policies/ or a path to a JSON file',
      DEFAULT_POLICY_NAME,
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (options: PlanOptions) => {
      // The policy schema and the holiday loaders load when the command runs, not at the CLI's start-up.
      const { loadPolicy } = await import('../../config/policy-loader');
      const { loadCalendarData } = await import('../../config/holidays');
      const policy = loadPolicy(options.policy);
      // What-if plans are the same for every authority the policy serves: the first one stands for them.
      const referral = planReferral(options.referralDate, policy.authorities[0].id);
      const events = planEvents(referral, options);
      const today = options.today ?? todayInEngland();
      const fromYear = Math.min(yearOf(options.referralDate), yearOf(today));
      const toYear =
        Math.max(yearOf(options.referralDate), yearOf(today), ...events.map((e) => yearOf(e.occurredOn))) + 2;
      const calendar = WorkingDayCalendar.fromData(loadCalendarData({ fromYear, toYear }));
      const timeline = planTimeline({ referral, events, policy, calendar, today });
      process.stdout.write(
        `${options.json === true ? toJson(timeline, options.referralDate) : toTable(timeline, policy.title, options.referralDate)}\n`,
      );
    });
}
