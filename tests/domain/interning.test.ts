import { describe, expect, it } from 'vitest';
import { ContentInterner, deepFreeze } from '../../domain/interning';
import { sharedCalendar, WorkingDayCalendar } from '../../domain/calendar';
import { sharedPolicy } from '../../domain/policy';
import { loadCalendarData } from '../../config/holidays';
import { loadPolicy } from '../../config/policy-loader';

const policy = loadPolicy('pan-bedfordshire');
const calendarData = loadCalendarData({ fromYear: 2026, toYear: 2029 });

/** A deserialised copy, as each workflow receives its input. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('reference data shared by the cases of a worker', () => {
  it('gives every case with the same policy one frozen copy, equal to what each was given', () => {
    const a = sharedPolicy(copy(policy));
    const b = sharedPolicy(copy(policy));
    expect(b).toBe(a);
    expect(a).toEqual(policy);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.steps[0])).toBe(true);
    expect(() => {
      (a.steps as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('keeps a changed policy apart', () => {
    const changed = copy(policy);
    (changed as { version: string }).version = `${policy.version}-local-change`;
    expect(sharedPolicy(changed)).not.toBe(sharedPolicy(copy(policy)));
    expect(sharedPolicy(changed).version).toBe(changed.version);
  });

  it('gives one calendar per holiday list, computing like a calendar of its own', () => {
    const shared = sharedCalendar(copy(calendarData));
    expect(sharedCalendar(copy(calendarData))).toBe(shared);
    const own = WorkingDayCalendar.fromData(copy(calendarData));
    expect(shared.addWorkingDays('2026-12-23' as never, 3)).toBe(own.addWorkingDays('2026-12-23' as never, 3));
    expect(shared.toData()).toEqual(own.toData());
  });

  it('finds the shared calendar again from the data it hands out, by identity', () => {
    const shared = sharedCalendar(copy(calendarData));
    const data = shared.toData();
    expect(shared.toData()).toBe(data);
    expect(Object.isFrozen(data)).toBe(true);
    const stringify = JSON.stringify;
    let keyed = 0;
    JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
      keyed += 1;
      return stringify(...args);
    }) as typeof JSON.stringify;
    try {
      expect(sharedCalendar(data)).toBe(shared);
    } finally {
      JSON.stringify = stringify;
    }
    expect(keyed).toBe(0);
  });
});

describe('ContentInterner', () => {
  it('builds once per distinct content and holds at most its capacity, dropping the oldest', () => {
    let builds = 0;
    const interner = new ContentInterner<{ n: number }, { n: number }>((_v, json) => {
      builds += 1;
      return deepFreeze(JSON.parse(json) as { n: number });
    }, 2);
    const one = interner.intern({ n: 1 });
    interner.intern({ n: 1 });
    interner.intern({ n: 2 });
    expect(builds).toBe(2);
    interner.intern({ n: 3 });
    expect(interner.size).toBe(2);
    expect(interner.intern({ n: 1 })).not.toBe(one);
    expect(builds).toBe(4);
  });
});
