/**
 * A refused command leaves the case as a `CommandRefused` application failure: its details carry the structured
 * refusals (field, rule, section) for every caller to read, its message says them in words. Nothing changed.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { describeRefusals, type Refusal } from '../../domain/rules';
import { CASE_OPENING_REFUSED, COMMAND_REFUSED } from './messages';

/** The failure a refused command throws. */
export function commandRefused(command: string, refusals: readonly Refusal[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: COMMAND_REFUSED,
    message: `${command} refused: ${describeRefusals(refusals)}`,
    details: [refusals],
    nonRetryable: true,
  });
}

/** The failure a case throws when what it was opened with is refused: the case never starts planning. */
export function openingRefused(refusals: readonly Refusal[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: CASE_OPENING_REFUSED,
    message: `case opening refused: ${describeRefusals(refusals)}`,
    details: [refusals],
    nonRetryable: true,
  });
}
