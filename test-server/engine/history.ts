/**
 * GetWorkflowExecutionHistory: pages of a run's history (page tokens name the next event id),
 * the long poll for new events (`waitNewEvent`) and the close-event filter.
 */
import { InvalidArgumentError } from '../errors';
import { EncodedHistory } from '../history-codec';
import { temporal, type ProtoObject } from '../proto';
import { closeEvent } from './lifecycle/close';
import { waitUntil } from './long-poll';
import type { Req } from './request-fields';
import type { EngineState } from './state';

const CLOSE_EVENT = temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;

/** GetWorkflowExecutionHistory, with long polling (`waitNewEvent`) and the close-event filter. */
export async function history(s: EngineState, req: Req, onCancel: (cb: () => void) => void): Promise<ProtoObject> {
  const ns = s.namespace(req.namespace);
  const run = s.findRun(ns.name, req.execution);
  const closeOnly = Number(req.historyEventFilterType ?? 0) === CLOSE_EVENT;
  const pageToken = req.nextPageToken as Uint8Array | undefined;
  let from = 1;
  if (pageToken && pageToken.length > 0) {
    try {
      from = Number(JSON.parse(Buffer.from(pageToken).toString('utf8')).from) || 1;
    } catch {
      throw new InvalidArgumentError('nextPageToken: not a page token issued by this server');
    }
  }
  const wait = req.waitNewEvent === true;
  if (closeOnly) {
    if (wait && run.isOpen) await waitUntil(run.historyWaiters, () => !run.isOpen, onCancel);
    const close = closeEvent(run);
    if (!close) return { history: { events: [] }, nextPageToken: Buffer.from(JSON.stringify({ from: 1 })) };
    return { history: new EncodedHistory([close]) };
  }
  if (wait && run.isOpen && from > run.history.length) {
    await waitUntil(run.historyWaiters, () => run.history.length >= from || !run.isOpen, onCancel);
  }
  const pageSize = Number(req.maximumPageSize ?? 0) || 1000;
  const events = run.history.slice(from - 1, from - 1 + pageSize);
  const next = from + events.length;
  const more = next <= run.history.length || (wait && run.isOpen);
  return {
    history: new EncodedHistory(events),
    nextPageToken: more ? Buffer.from(JSON.stringify({ from: next })) : undefined,
  };
}
