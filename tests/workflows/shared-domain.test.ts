/**
 * The domain modules are shared by every workflow of a worker (workflows/preload.ts) and deep-frozen by the SDK.
 * zod builds schema members lazily and resets the `lastIndex` of its patterns, both of which a frozen object
 * refuses — a refusal inside a workflow fails its task over and over. Here the preloaded modules are frozen the
 * way the SDK freezes shared modules (every object reachable through own properties), then every schema and the
 * planner are driven through valid and invalid input: nothing may throw a TypeError.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDomain, sharedZod } from '../../workflows/preload';
import { calendarData, policy } from './support';
import { longForensicWait, twelveMonthCase } from './scenarios';

/** Freezes `value` and everything reachable from it through own properties, as the SDK does to shared modules. */
function freezeAsShared(value: unknown, seen = new WeakSet<object>()): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  if (Object.isFrozen(value)) return;
  if (typeof value === 'object') {
    for (const key of [...Object.getOwnPropertyNames(value), ...Object.getOwnPropertySymbols(value)]) {
      try {
        freezeAsShared((value as Record<string | symbol, unknown>)[key], seen);
      } catch {
        // As the SDK: some objects cannot be frozen.
      }
    }
  }
  try {
    Object.freeze(value);
  } catch {
    // A module namespace object of this test's module loader (not of the workflow bundle) may refuse.
  }
}

freezeAsShared(sharedZod);
freezeAsShared(sharedDomain);

const { caseModel, caseProcess, planner, policy: policyModule, calendar } = sharedDomain;
const scenarios = [twelveMonthCase(), longForensicWait(18)];

/** A few ways each event can be wrong. */
function broken(event: object): unknown[] {
  return [
    { ...event, occurredOn: '2027-02-30' },
    { ...event, recordedBy: 'Jane Smith' },
    { ...event, type: 'no-such-event' },
    {},
    null,
    'x',
  ];
}

describe('shared, frozen domain modules', () => {
  it('parse every event and referral, valid or not, without touching frozen state', () => {
    for (const s of scenarios) {
      expect(caseModel.parseReferral(JSON.parse(JSON.stringify(s.referral)))).toEqual(s.referral);
      for (const event of s.events) {
        expect(caseModel.CaseEventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
        for (const bad of broken(event)) expect(caseModel.CaseEventSchema.safeParse(bad).success).toBe(false);
      }
    }
  });

  it('parse the shipped policy and plan a whole case on it', () => {
    const raw: unknown = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../config/policies/pan-bedfordshire.json'), 'utf8'),
    );
    expect(policyModule.parseProcedurePolicy(raw, 'pan-bedfordshire.json')).toEqual(policy);
    expect(() => policyModule.parseProcedurePolicy({ ...(raw as object), steps: 'none' }, 'bad.json')).toThrow(
      policyModule.InvalidPolicyError,
    );
    const s = scenarios[0];
    const timeline = planner.planTimeline({
      referral: s.referral,
      events: s.events,
      policy,
      calendar: calendar.WorkingDayCalendar.fromData(calendarData),
      today: s.until,
    });
    expect(timeline.steps.length).toBeGreaterThan(10);
  });

  it('refuse bad commands with the field and the rule, and run a case through them', () => {
    const s = scenarios[0];
    const parsed = caseProcess.parseRecordEvent({
      type: 'case-closed',
      occurredOn: '2099-01-01',
      recordedBy: 'sw-0042',
      reason: 'x',
    });
    expect(parsed.ok ? [] : parsed.refusals.map((r) => r.field)).toEqual(['reason']);
    const holidays = caseProcess.parseApplyHolidays({ holidays: [] });
    expect(holidays.ok ? [] : holidays.refusals.map((r) => `${r.field}: ${r.rule}`)).toEqual([
      'holidays: must list at least one holiday',
    ]);
    const now = Date.parse(`${s.referral.receivedOn}T10:00:00Z`);
    let state = caseProcess.openCaseState(s.referral, calendarData, new Date(now).toISOString());
    state = caseProcess.decideNext(state, { policy, now }).state;
    const future = caseProcess.applyCommand(
      state,
      { type: 'record-event', event: { ...s.events[0], occurredOn: '2099-01-01' as never } },
      { policy, now },
    );
    expect(future.ok ? [] : future.refusals.map((r) => r.code)).toContain('in-the-future');
    const accepted = caseProcess.applyCommand(state, { type: 'record-event', event: s.events[0] }, { policy, now });
    expect(accepted.ok && accepted.receipt?.recorded).toBe(s.events[0].type);
  });
});
