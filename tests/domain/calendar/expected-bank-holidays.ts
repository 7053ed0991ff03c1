/**
 * England & Wales bank holidays 2025–2029 (the weekdays off), written out from the statutory rules and the
 * published gov.uk list — not from any code under test:
 * New Year's Day (1 Jan, or the next Monday when at a weekend), Good Friday and Easter Monday (Easter 2025-04-20,
 * 2026-04-05, 2027-03-28, 2028-04-16, 2029-04-01), first Monday in May, last Monday in May, last Monday in
 * August, Christmas Day and Boxing Day (a weekend one moves to the next free weekday).
 */
export const EXPECTED_BANK_HOLIDAYS: Record<number, string[]> = {
  2025: [
    '2025-01-01',
    '2025-04-18',
    '2025-04-21',
    '2025-05-05',
    '2025-05-26',
    '2025-08-25',
    '2025-12-25',
    '2025-12-26',
  ],
  // 26 December 2026 is a Saturday: Boxing Day moves to Monday 28 December.
  2026: [
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28',
  ],
  // 25 and 26 December 2027 fall on Saturday and Sunday: substitutes Monday 27 and Tuesday 28.
  2027: [
    '2027-01-01',
    '2027-03-26',
    '2027-03-29',
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27',
    '2027-12-28',
  ],
  // 1 January 2028 is a Saturday: substitute Monday 3 January. 2028 is a leap year.
  2028: [
    '2028-01-03',
    '2028-04-14',
    '2028-04-17',
    '2028-05-01',
    '2028-05-29',
    '2028-08-28',
    '2028-12-25',
    '2028-12-26',
  ],
  2029: [
    '2029-01-01',
    '2029-03-30',
    '2029-04-02',
    '2029-05-07',
    '2029-05-28',
    '2029-08-27',
    '2029-12-25',
    '2029-12-26',
  ],
};

/** Weekdays in each year (from the day of the week of 1 January and leap years), for working-day counts. */
export const WEEKDAYS_IN_YEAR: Record<number, number> = { 2025: 261, 2026: 261, 2027: 261, 2028: 260, 2029: 261 };
