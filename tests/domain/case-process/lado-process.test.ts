/** The LADO acknowledgement's due date and chases, as the policy's working days set them (§2.6, §2.18). */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar';
import { type LadoStart, ladoAcknowledgementDue, ladoChases } from '../../../domain/case-process';
import { calendar } from '../planner/fixtures';
import { CALENDAR } from './driver';

const start: LadoStart = {
  caseReference: 'CP-2026-000123',
  knownOn: '2026-12-23' as IsoDate,
  dueDate: '2026-12-24' as IsoDate,
  stepTitle: 'Referral to the LADO',
  chase: { ackWithinWorkingDays: 1, chaseAfterWorkingDays: [1, 3] },
  calendar: CALENDAR,
  lado: 'lado:lado-0101',
};

describe('the LADO acknowledgement and its chases', () => {
  it('counts working days over Christmas: due the next working day, chased 1 and 3 working days later', () => {
    // Sent Thursday 24 December 2026; Christmas Day and the Boxing Day substitute (Monday 28th) are holidays.
    expect(ladoAcknowledgementDue(start, '2026-12-24' as IsoDate, calendar)).toBe('2026-12-29');
    expect(ladoChases(start, '2026-12-24' as IsoDate, calendar)).toEqual([
      { on: '2026-12-30', acknowledgementDue: '2026-12-29' },
      { on: '2027-01-04', acknowledgementDue: '2026-12-29' },
    ]);
  });
});
