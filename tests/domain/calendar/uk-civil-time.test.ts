import { describe, expect, it } from 'vitest';
import { type IsoDate, ukDateOf, ukInstant, ukWallClock } from '../../../domain/calendar';

const at = (iso: string) => Date.parse(iso);

describe('UK civil time', () => {
  it('dates an instant in England: GMT in winter, BST in summer', () => {
    expect(ukDateOf(at('2026-01-15T23:59:00Z'))).toBe('2026-01-15');
    expect(ukDateOf(at('2026-07-15T23:30:00Z'))).toBe('2026-07-16');
    expect(ukDateOf(at('2026-07-15T22:59:00Z'))).toBe('2026-07-15');
  });

  it('gives the instant of a time of day on either side of the clock changes', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
    expect(ukInstant('2026-03-28' as IsoDate, 9)).toBe(at('2026-03-28T09:00:00Z'));
    expect(ukInstant('2026-03-29' as IsoDate, 9)).toBe(at('2026-03-29T08:00:00Z'));
    expect(ukInstant('2026-10-25' as IsoDate, 0)).toBe(at('2026-10-24T23:00:00Z'));
    expect(ukInstant('2026-10-25' as IsoDate, 9)).toBe(at('2026-10-25T09:00:00Z'));
    expect(ukInstant('2026-07-01' as IsoDate, 14, 30)).toBe(at('2026-07-01T13:30:00Z'));
  });

  it('moves a time inside the spring gap forward by the gap, as a wall clock does', () => {
    expect(ukWallClock(ukInstant('2026-03-29' as IsoDate, 1, 30))).toEqual({
      date: '2026-03-29',
      time: '02:30',
      weekday: 'Sun',
    });
  });

  it('round-trips every hour of a year through the wall clock', () => {
    for (let day = 0; day < 365; day += 1) {
      const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10) as IsoDate;
      for (const hour of [0, 9, 23]) {
        const clock = ukWallClock(ukInstant(date, hour));
        if (date === '2026-03-29' && hour === 1) continue;
        expect(clock.date).toBe(date);
        expect(clock.time).toBe(`${String(hour).padStart(2, '0')}:00`);
      }
    }
  });
});
