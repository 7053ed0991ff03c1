/**
 * The convenience forms of `cpflow case` (reassign, not-required, extend, close) as the CaseEvents they stand
 * for. Each is validated by the case model, so a bad value is refused with the field and the rule.
 */
import type { IsoDate } from '../../domain/calendar';
import type { CaseEvent } from '../../domain/case';
import { toCaseEvent } from './inputs';

/** Who recorded it and on which date (default: today in England). */
interface Recorded {
  readonly by: string;
  readonly on: IsoDate;
}

/** `case reassign <ref> --to S [--team T] --by S`. */
export function reassignmentEvent(options: Recorded & { readonly to: string; readonly team?: string }): CaseEvent {
  return toCaseEvent(
    {
      type: 'practitioner-reassigned',
      occurredOn: options.on,
      recordedBy: options.by,
      practitionerId: options.to,
      ...(options.team !== undefined ? { teamId: options.team } : {}),
    },
    'case reassign',
  );
}

/** `case not-required <ref> <step> --reason R --by S`. */
export function notRequiredEvent(options: Recorded & { readonly stepId: string; readonly reason: string }): CaseEvent {
  return toCaseEvent(
    {
      type: 'step-not-required',
      occurredOn: options.on,
      recordedBy: options.by,
      stepId: options.stepId,
      reason: options.reason,
    },
    'case not-required',
  );
}

/** `case extend <ref> <step> --to DATE --reason R --agreed-by M --by S`. */
export function extensionEvent(
  options: Recorded & {
    readonly stepId: string;
    readonly to: IsoDate;
    readonly reason: string;
    readonly agreedBy: string;
  },
): CaseEvent {
  return toCaseEvent(
    {
      type: 'deadline-extended',
      occurredOn: options.on,
      recordedBy: options.by,
      stepId: options.stepId,
      newDueDate: options.to,
      reason: options.reason,
      agreedBy: options.agreedBy,
    },
    'case extend',
  );
}

/** `case close <ref> --reason R --by S`. */
export function closureEvent(options: Recorded & { readonly reason: string }): CaseEvent {
  return toCaseEvent(
    { type: 'case-closed', occurredOn: options.on, recordedBy: options.by, reason: options.reason },
    'case close',
  );
}
