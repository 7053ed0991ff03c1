/**
 * A workflow shaped like cpflow's case workflow: every command is a validated update (refused
 * commands are rejected by the validator and change nothing), signals note things, queries read
 * state, and a main loop sleeps on a daily timer between changes.
 */
import { condition, defineQuery, defineSignal, defineUpdate, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';

/** An entry the `record` update adds (amount must be a positive integer). */
export interface LedgerEntry {
  amount: number;
  note: string;
}

/** What the ledger query answers. */
export interface LedgerState {
  total: number;
  entries: number;
  notes: string[];
  wakeUps: number;
  closed: boolean;
}

export const recordUpdate = defineUpdate<number, [LedgerEntry]>('record');
export const closeUpdate = defineUpdate<string, [string]>('close');
export const ledgerNoteSignal = defineSignal<[string]>('note');
export const ledgerQuery = defineQuery<LedgerState>('ledger');

/**
 * Keeps a running total changed only through validated updates; wakes once a day (timer) to count
 * wake-ups; closes on the `close` update and returns the final total.
 */
export async function ledger(): Promise<number> {
  const state: LedgerState = { total: 0, entries: 0, notes: [], wakeUps: 0, closed: false };
  let dirty = false;
  setHandler(ledgerQuery, () => ({ ...state, notes: [...state.notes] }));
  setHandler(ledgerNoteSignal, (note) => {
    state.notes.push(note);
    dirty = true;
  });
  setHandler(
    recordUpdate,
    (entry) => {
      state.total += entry.amount;
      state.entries += 1;
      dirty = true;
      return state.total;
    },
    {
      validator: (entry) => {
        if (state.closed) throw new Error('record: the ledger is closed');
        if (!Number.isInteger(entry.amount) || entry.amount <= 0) {
          throw new Error(`record.amount: must be a positive integer, got ${entry.amount}`);
        }
      },
    },
  );
  setHandler(
    closeUpdate,
    (reason) => {
      state.closed = true;
      dirty = true;
      return `closed: ${reason}`;
    },
    {
      validator: (reason) => {
        if (state.closed) throw new Error('close: the ledger is already closed');
        if (reason.length === 0) throw new Error('close.reason: must not be empty');
      },
    },
  );

  let lastTotal = -1;
  for (;;) {
    dirty = false;
    if (state.total !== lastTotal) {
      upsertSearchAttributes({ LedgerTotal: [state.total] });
      lastTotal = state.total;
    }
    if (state.closed) return state.total;
    let fired = false;
    void sleep('1 day').then(() => {
      fired = true;
    });
    await condition(() => dirty || fired);
    if (fired) state.wakeUps += 1;
  }
}
