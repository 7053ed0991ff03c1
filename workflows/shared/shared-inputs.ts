/**
 * Workflow inputs pointed at the worker's shared reference data (domain/interning): the SDK keeps a workflow's
 * arguments for its whole run, so the per-case copies of the policy and the calendar are freed only when the
 * input's fields are replaced by the shared ones. Replay-safe: the shared values equal the replaced ones.
 */
import { type CalendarData, sharedCalendar } from '../../domain/calendar';
import { type ProcedurePolicy, sharedPolicy } from '../../domain/policy';

/** Replaces `input.policy` (if any) and `input.calendar` with the worker's shared copies; returns `input`. */
export function withSharedReferenceData<
  T extends { readonly policy?: ProcedurePolicy; readonly calendar: CalendarData },
>(input: T): T {
  const fields = input as { policy?: ProcedurePolicy; calendar: CalendarData };
  if (fields.policy !== undefined) fields.policy = sharedPolicy(fields.policy);
  fields.calendar = sharedCalendar(fields.calendar).toData();
  return input;
}
