/**
 * `case holidays apply`: sends a newly announced holiday to running cases (the `applyHolidays` update), to the
 * cases named or to every open case found in visibility. Each case answers for itself; one refusal does not
 * stop the others.
 */
import type { Client } from '@temporalio/client';
import type { Holiday } from '../../domain/calendar';
import type { CommandReceipt } from '../../workflows/case/messages';
import { applyCaseHolidays, type CaseCallOptions, listOpenCaseReferences } from './case-client';
import { UsageError } from './errors';

/** Which cases receive the holiday. */
export type HolidayTargets = { readonly allOpen: true } | { readonly caseReferences: readonly string[] };

/** What happened for one case. */
export type HolidayApplication =
  | { readonly caseReference: string; readonly outcome: 'applied'; readonly receipt: CommandReceipt }
  | { readonly caseReference: string; readonly outcome: 'failed'; readonly error: string };

/** At most this many cases are updated at once. */
const CONCURRENCY = 8;

/** Builds the targets from `--all-open` and the references given; exactly one of the two. */
export function holidayTargets(allOpen: boolean, caseReferences: readonly string[]): HolidayTargets {
  if (allOpen && caseReferences.length > 0) throw new UsageError('give either --all-open or case references, not both');
  if (!allOpen && caseReferences.length === 0) throw new UsageError('name the cases to update, or give --all-open');
  return allOpen ? { allOpen: true } : { caseReferences: [...new Set(caseReferences)] };
}

/** Applies `holiday` to every target case; resolves with one result per case, in reference order. */
export async function applyHolidayToCases(
  client: Client,
  holiday: Holiday,
  targets: HolidayTargets,
  appliedBy: string | undefined,
  options: CaseCallOptions = {},
): Promise<HolidayApplication[]> {
  const references = 'allOpen' in targets ? await listOpenCaseReferences(client) : [...targets.caseReferences];
  const results: HolidayApplication[] = new Array<HolidayApplication>(references.length);
  let next = 0;
  const worker = async () => {
    while (next < references.length) {
      const index = next++;
      const caseReference = references[index];
      try {
        const receipt = await applyCaseHolidays(
          client,
          caseReference,
          { holidays: [holiday], ...(appliedBy !== undefined ? { appliedBy } : {}) },
          options,
        );
        results[index] = { caseReference, outcome: 'applied', receipt };
      } catch (err) {
        results[index] = { caseReference, outcome: 'failed', error: err instanceof Error ? err.message : String(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, references.length) }, worker));
  return results;
}

/** One line per case: applied (with the due dates that moved) or failed (with why). */
export function formatHolidayApplications(holiday: Holiday, results: readonly HolidayApplication[]): string {
  if (results.length === 0) return `No open cases: ${holiday.date} (${holiday.name}) applied to none.`;
  const applied = results.filter((r) => r.outcome === 'applied').length;
  const lines = [`${holiday.date} (${holiday.name}) applied to ${applied} of ${results.length} case(s).`];
  for (const result of results) {
    if (result.outcome === 'failed') {
      lines.push(`${result.caseReference}: FAILED: ${result.error}`);
      continue;
    }
    const moved = result.receipt.changedDueDates.map((c) => `${c.stepId} ${c.from} → ${c.to}`);
    lines.push(
      `${result.caseReference}: applied; ${moved.length === 0 ? 'no due date moved' : `moved: ${moved.join(', ')}`}`,
    );
  }
  return lines.join('\n');
}
