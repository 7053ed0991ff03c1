/** Test fixtures shared by the domain tests: a referral, an event builder, the policy and a calendar. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICIES_DIR } from '../../../config/policy-loader';
import { type Holiday, type IsoDate, WorkingDayCalendar } from '../../../domain/calendar';
import { type CaseEvent, type Referral, type ReferralInput } from '../../../domain/case';
import { ev, testReferral } from '../../support/case-fixtures';
import { parseProcedurePolicy, type ProcedurePolicy } from '../../../domain/policy';

/** England & Wales bank holidays 2026–2027 (gov.uk). */
export const HOLIDAYS: Holiday[] = [
  ['2026-01-01', "New Year's Day"],
  ['2026-04-03', 'Good Friday'],
  ['2026-04-06', 'Easter Monday'],
  ['2026-05-04', 'Early May bank holiday'],
  ['2026-05-25', 'Spring bank holiday'],
  ['2026-08-31', 'Summer bank holiday'],
  ['2026-12-25', 'Christmas Day'],
  ['2026-12-28', 'Boxing Day (substitute day)'],
  ['2027-01-01', "New Year's Day"],
  ['2027-03-26', 'Good Friday'],
  ['2027-03-29', 'Easter Monday'],
  ['2027-05-03', 'Early May bank holiday'],
  ['2027-05-31', 'Spring bank holiday'],
  ['2027-08-30', 'Summer bank holiday'],
  ['2027-12-27', 'Christmas Day (substitute day)'],
  ['2027-12-28', 'Boxing Day (substitute day)'],
].map(([date, name]) => ({ date: date as IsoDate, name, source: 'gov.uk' }));

/** A calendar with the 2026–2027 holidays. */
export const calendar = new WorkingDayCalendar(HOLIDAYS);

/** The shipped Pan Bedfordshire policy. */
export const policy: ProcedurePolicy = parseProcedurePolicy(
  JSON.parse(readFileSync(join(POLICIES_DIR, 'pan-bedfordshire.json'), 'utf8')),
  'pan-bedfordshire.json',
);

/** A referral received on Saturday 2026-08-29 (before the bank-holiday Monday). */
export function referral(overrides: Partial<ReferralInput> = {}): Referral {
  return testReferral(overrides);
}

export { ev };

/** A strategy discussion that initiated a Section 47 enquiry. */
export function strategyDiscussion(occurredOn: string, extra: Record<string, unknown> = {}): CaseEvent {
  return ev(occurredOn, {
    type: 'strategy-discussion',
    section47: 'initiated',
    questions: {},
    riskFactors: [],
    ...extra,
  });
}
