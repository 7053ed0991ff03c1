/**
 * Case data every test suite builds from: a pseudonymous referral (ages only, staff and team ids) and
 * validated events. One place, so a change to the case model is made once for all suites.
 */
import {
  type CaseEvent,
  type CaseEventInput,
  parseCaseEvent,
  parseReferral,
  type Referral,
  type ReferralInput,
} from '../../domain/case';

/** Referral input: two children, the alleged person living with them, no devices seized. */
export function referralInput(overrides: Partial<ReferralInput> = {}): ReferralInput {
  return {
    caseReference: 'CP-2026-000123',
    authority: 'bedford-borough',
    teamId: 'team-north',
    practitionerId: 'sw-0042',
    receivedOn: '2026-08-29',
    children: [{ age: 4 }, { age: 11 }],
    allegedPerson: {
      livesWithChildren: true,
      regularContactWithChildren: false,
      worksOrVolunteersWithChildren: false,
      holdsPositionOfTrust: false,
    },
    police: { devicesSeized: { count: 0 } },
    ...overrides,
  } as ReferralInput;
}

/** A validated referral built from {@link referralInput}. */
export function testReferral(overrides: Partial<ReferralInput> = {}): Referral {
  return parseReferral(referralInput(overrides));
}

type WithoutCommon<T> = T extends unknown ? Omit<T, 'occurredOn' | 'recordedBy'> : never;

/** A validated event on `occurredOn`, recorded by sw-0042 unless `recordedBy` is given. */
export function ev(occurredOn: string, event: WithoutCommon<CaseEventInput>, recordedBy = 'sw-0042'): CaseEvent {
  return parseCaseEvent({ ...event, occurredOn, recordedBy });
}
