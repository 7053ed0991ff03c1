/**
 * Extensions asked for and not yet agreed: someone asks (`extension-requested`), a manager other than the asker
 * agrees (`deadline-extended` naming the request's asker in `requestedBy`). A request is settled by any later
 * extension of its step, and replaced by a later request for the same step.
 */
import type { CaseEvent, CaseEventOf } from '../case';

/** The requests still waiting for a manager, in the order they were made. */
export function pendingExtensionRequests(events: readonly CaseEvent[]): CaseEventOf<'extension-requested'>[] {
  const pending = new Map<string, CaseEventOf<'extension-requested'>>();
  for (const event of events) {
    if (event.type === 'extension-requested') pending.set(event.stepId, event);
    else if (event.type === 'deadline-extended') pending.delete(event.stepId);
  }
  return [...pending.values()];
}

/** The pending request an extension agrees, when it names one (`requestedBy`) and it matches. */
export function requestAgreed(
  events: readonly CaseEvent[],
  extension: CaseEventOf<'deadline-extended'>,
): CaseEventOf<'extension-requested'> | undefined {
  return pendingExtensionRequests(events).find(
    (r) =>
      r.recordedBy === extension.requestedBy && r.stepId === extension.stepId && r.newDueDate === extension.newDueDate,
  );
}
