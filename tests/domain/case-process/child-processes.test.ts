/**
 * The case's two children as pure processes, driven without Temporal from what the case decides to start them
 * with: the forensic wait (police-update and bail reminders, its end with the police's decision, a correction of
 * an event it follows) and the LADO referral (sent at once, acknowledgement chased on the policy's dates, the
 * referral by hand after a failure, the end with the outcome).
 */
import { describe, expect, it } from 'vitest';
import { type IsoDate, sharedCalendar, ukDateOf, ukInstant } from '../../../domain/calendar';
import type { CaseEvent } from '../../../domain/case';
import {
  applyForensicMessage,
  applyLadoMessage,
  CHILD_RESTART_AFTER_MS,
  decideForensic,
  decideLado,
  type ForensicMessage,
  type ForensicStart,
  type ForensicState,
  type LadoMessage,
  type ChildReport,
  ladoAcknowledgementDue,
  ladoChases,
  type LadoStart,
  type LadoState,
  ladoStatusOf,
  type Notice,
  type NoticeOutcome,
  openForensicState,
  openLadoState,
  settleForensicNotices,
  settleLadoNotices,
} from '../../../domain/case-process';
import { ev, policy, referral } from '../planner/fixtures';
import { CALENDAR, DrivenCase } from './driver';

const at = (date: string, hour = 9) => ukInstant(date as IsoDate, hour);

/** A child process driven through virtual time: decide at each wake-up, every email delivered at once. */
class DrivenChild<S, M> {
  now: number;
  wakeAt: number | undefined;
  readonly sent: string[] = [];
  /** What the child told the case, as `kind detail`. */
  readonly reports: string[] = [];
  ended = false;

  constructor(
    public state: S,
    openedAt: number,
    private readonly process: {
      decide: (
        state: S,
        now: number,
      ) => { state: S; notices: readonly Notice[]; wakeAt?: number; ended: boolean; reports?: readonly ChildReport[] };
      apply: (state: S, message: M) => S;
      settle: (state: S, outcomes: readonly NoticeOutcome[], now: number) => S;
    },
    private readonly deliver: (notice: Notice) => NoticeOutcome['status'] = () => 'sent',
  ) {
    this.now = openedAt;
    this.decide();
  }

  decide(): void {
    const d = this.process.decide(this.state, this.now);
    this.state = d.state;
    this.wakeAt = d.wakeAt;
    this.ended ||= d.ended;
    for (const r of d.reports ?? []) this.reports.push(`${r.kind} ${r.detail}`);
    if (d.notices.length === 0) return;
    for (const n of d.notices) this.sent.push(`${ukDateOf(this.now)} ${n.stepId} ${n.kind} due ${n.dueDate}`);
    const outcomes = d.notices.map((notice): NoticeOutcome => {
      const status = this.deliver(notice);
      return status === 'failed'
        ? { notice, status, failure: 'RecipientUnknown: not in the directory' }
        : { notice, status };
    });
    this.state = this.process.settle(this.state, outcomes, this.now);
    this.decide();
  }

  runTo(date: string, hour = 12): this {
    const until = at(date, hour);
    while (!this.ended && this.wakeAt !== undefined && this.wakeAt <= until) {
      this.now = this.wakeAt;
      this.decide();
    }
    this.now = Math.max(this.now, until);
    return this;
  }

  tell(message: M, date: string, hour = 12): this {
    this.runTo(date, hour);
    this.state = this.process.apply(this.state, message);
    this.decide();
    return this;
  }
}

const forensicProcess = {
  decide: (state: ForensicState, now: number) => {
    const d = decideForensic(state, policy, now);
    return { ...d, ended: d.ended !== undefined };
  },
  apply: applyForensicMessage,
  settle: (state: ForensicState, outcomes: readonly NoticeOutcome[], now: number) =>
    settleForensicNotices(state, outcomes, now, policy),
};

const ladoProcess = {
  decide: (state: LadoState, now: number) => {
    const d = decideLado(state, now);
    return { ...d, ended: d.result !== undefined };
  },
  apply: applyLadoMessage,
  settle: settleLadoNotices,
};

/** Received Monday 7 September 2026; devices seized and bail granted that day. */
const onBail = () =>
  referral({
    receivedOn: '2026-09-07',
    police: { devicesSeized: { count: 2, seizedOn: '2026-09-07' }, preChargeBailGrantedOn: '2026-09-07' },
  });

/** The forensic wait the case decides to start for `r`. */
function forensicStartOf(c: DrivenCase): ForensicStart {
  const start = c.decisions.flatMap((d) => d.childStarts).find((s) => s.kind === 'forensic');
  if (start?.kind !== 'forensic') throw new Error('the case started no forensic wait');
  return start.input;
}

function forensicWait(c: DrivenCase): DrivenChild<ForensicState, ForensicMessage> {
  const openedAt = at(c.state.referral.receivedOn, 8);
  return new DrivenChild(openForensicState(forensicStartOf(c), undefined, openedAt), openedAt, forensicProcess);
}

describe('the forensic wait as a process', () => {
  it('sends the police-update and bail reminders on their dates, once each, and ends with the police decision', () => {
    const c = new DrivenCase(onBail());
    const wait = forensicWait(c).runTo('2026-12-08');
    expect(wait.sent).toEqual([
      // The policy's police-update reminders: 2 working days before, on the day, the team manager 1 day after.
      '2026-10-01 police-update-1 reminder due 2026-10-05',
      '2026-10-05 police-update-1 due-today due 2026-10-05',
      '2026-10-06 police-update-1 overdue-escalation due 2026-10-05',
      // The bail milestone's: 5 working days before, on the day, the team manager 1 day after.
      '2026-11-30 pre-charge-bail-ends reminder due 2026-12-07',
      '2026-12-07 pre-charge-bail-ends due-today due 2026-12-07',
      '2026-12-08 pre-charge-bail-ends overdue-escalation due 2026-12-07',
    ]);
    expect(new Set(wait.sent).size).toBe(wait.sent.length);
    wait.tell({ kind: 'event', event: ev('2026-12-09', { type: 'police-outcome', outcome: 'charged' }) }, '2026-12-09');
    expect(wait.ended).toBe(true);
    const ended = decideForensic(wait.state, policy, wait.now).ended;
    expect(ended?.outcome).toEqual({ endedBy: 'charged', endedOn: '2026-12-09', serious: false, runs: 1 });
    expect(wait.state.log.every((l) => l.detail.startsWith('forensic: '))).toBe(true);
  });

  it('tells the team manager when a police-update reminder cannot be delivered, and sends it once it can', () => {
    const c = new DrivenCase(onBail());
    const openedAt = at('2026-09-07', 8);
    const unreachable = new Set(['practitioner:sw-0042']);
    const wait = new DrivenChild(
      openForensicState(forensicStartOf(c), undefined, openedAt),
      openedAt,
      forensicProcess,
      (notice) => (unreachable.has(notice.recipient) ? 'failed' : 'sent'),
    ).runTo('2026-10-01');
    // The reminder fails; the team manager hears of it at once, once.
    expect(wait.sent).toEqual([
      '2026-10-01 police-update-1 reminder due 2026-10-05',
      '2026-10-01 police-update-1 delivery-failed due 2026-10-05',
    ]);
    expect(wait.state.log.map((l) => l.detail)).toContain(
      'forensic: reminder to practitioner:sw-0042 (due 2026-10-05) failed: RecipientUnknown: not in the directory; tried again on 2026-10-02',
    );
    // The directory is fixed: the next working day's retry sends it.
    unreachable.clear();
    wait.runTo('2026-10-02');
    expect(wait.sent.slice(2)).toEqual(['2026-10-02 police-update-1 reminder due 2026-10-05']);
    expect(wait.state.delivery.undelivered).toBeUndefined();
  });

  it('waits for the emails in flight before it ends', () => {
    const c = new DrivenCase(onBail());
    const state = openForensicState(forensicStartOf(c), undefined, at('2026-09-07', 8));
    const sending = decideForensic(state, policy, at('2026-10-01'));
    expect(sending.notices).toHaveLength(1);
    const decided = applyForensicMessage(sending.state, {
      kind: 'event',
      event: ev('2026-10-01', { type: 'police-outcome', outcome: 'no-further-action' }),
    });
    expect(decideForensic(decided, policy, at('2026-10-01', 10)).ended).toBeUndefined();
    const settled = settleForensicNotices(
      decided,
      [{ notice: sending.notices[0], status: 'sent' }],
      at('2026-10-01', 10),
      policy,
    );
    expect(settled.log.map((l) => l.detail)).toEqual([
      'forensic: reminder to practitioner:sw-0042 (due 2026-10-05) sent',
    ]);
    expect(decideForensic(settled, policy, at('2026-10-01', 10)).ended?.outcome.endedBy).toBe('no-further-action');
  });

  it('never reminds on a weekend: a bail period ending on Saturday is "due" on the Friday before', () => {
    // Bail granted Friday 29 May 2026: the 3 months end on Saturday 29 August.
    const c = new DrivenCase(
      referral({
        receivedOn: '2026-05-29',
        police: { devicesSeized: { count: 1, seizedOn: '2026-05-29' }, preChargeBailGrantedOn: '2026-05-29' },
      }),
    );
    const bailNotices = forensicWait(c)
      .runTo('2026-09-01')
      .sent.filter((s) => s.includes('pre-charge-bail-ends'));
    expect(bailNotices).toEqual([
      '2026-08-24 pre-charge-bail-ends reminder due 2026-08-29',
      '2026-08-28 pre-charge-bail-ends reminder due 2026-08-29',
      '2026-09-01 pre-charge-bail-ends overdue-escalation due 2026-08-29',
    ]);
  });

  it('follows the corrected list when an event it follows is amended on the case', () => {
    const c = new DrivenCase(onBail());
    c.record(
      ev('2026-11-02', { type: 'police-bail', action: 'extended', bailUntil: '2027-03-07', authorisedBy: 'inspector' }),
    );
    const seq = c.state.audit.at(-1)?.seq ?? 0;
    const amended: CaseEvent = ev('2026-11-02', {
      type: 'police-bail',
      action: 'extended',
      bailUntil: '2027-02-26',
      authorisedBy: 'inspector',
    });
    expect(
      c.command({
        type: 'correct-event',
        correction: { seq, action: 'amend', reason: 'wrong-date', event: amended, recordedBy: 'tm-0007' },
      }),
    ).toEqual([]);
    // The case tells the running wait the whole corrected list.
    const told = c.decisions.at(-1)?.childMessages ?? [];
    expect(told.map((m) => [m.child, m.kind])).toEqual([['forensic', 'events']]);
    const message = told[0];
    if (message.kind !== 'events') throw new Error('expected the corrected list');
    const wait = forensicWait(c);
    wait.tell({ kind: 'event', event: c.state.events[0] }, '2026-11-02');
    wait.tell({ kind: 'events', events: message.events }, '2026-11-03').runTo('2027-03-08');
    expect(wait.sent.filter((s) => s.includes('pre-charge-bail-ends'))).toEqual([
      '2027-02-19 pre-charge-bail-ends reminder due 2027-02-26',
      '2027-02-26 pre-charge-bail-ends due-today due 2027-02-26',
      '2027-03-01 pre-charge-bail-ends overdue-escalation due 2027-02-26',
    ]);
  });

  it('is followed again, a minute after its end, when the police decision is withdrawn on the case', () => {
    const c = new DrivenCase(onBail());
    c.record(ev('2026-10-20', { type: 'police-outcome', outcome: 'no-further-action' }));
    const seq = c.state.audit.at(-1)?.seq ?? 0;
    c.command({
      type: 'child-report',
      report: { from: 'forensic', at: '2026-10-20T09:00:00Z', kind: 'forensic', detail: 'ended', finished: true },
    });
    expect(c.state.children.forensic).toBe('ended');
    expect(
      c.command({
        type: 'correct-event',
        correction: { seq, action: 'withdraw', reason: 'recorded-in-error', recordedBy: 'tm-0007' },
      }),
    ).toEqual([]);
    const now = c.now;
    expect(c.decisions.at(-1)?.childStarts).toEqual([]);
    expect(c.decisions.at(-1)?.wakeAt).toBe(now + CHILD_RESTART_AFTER_MS);
    c.runTo('2026-10-20', 11);
    const restarted = c.decisions.flatMap((d) => d.childStarts).filter((s) => s.kind === 'forensic');
    expect(restarted).toHaveLength(2);
    expect(c.state.children.forensic).toBe('running');
    expect(c.state.log.at(-1)?.detail).toMatch(/^forensic wait followed again/);
    // Had the old run still been finishing, the case would try again later rather than fail.
    expect(c.command({ type: 'child-start-refused', child: 'forensic' })).toEqual([]);
    expect(c.state.children.forensic).toBe('ended');
  });
});

const LADO_START: LadoStart = {
  caseReference: 'CP-2026-000123',
  knownOn: '2026-09-07' as IsoDate,
  dueDate: '2026-09-08' as IsoDate,
  stepTitle: 'Referral to the LADO',
  chase: { ackWithinWorkingDays: 1, chaseAfterWorkingDays: [1, 3] },
  calendar: { holidays: [], coveredYears: { from: 2026, to: 2027 } },
  lado: 'lado:lado-0101',
};

function ladoReferral(deliver?: (n: Notice) => NoticeOutcome['status']): DrivenChild<LadoState, LadoMessage> {
  return new DrivenChild(openLadoState(LADO_START), at('2026-09-07', 10), ladoProcess, deliver);
}

describe('the LADO referral as a process', () => {
  it('counts working days over Christmas: due the next working day, chased 1 and 3 working days later', () => {
    // Sent Thursday 24 December 2026; Christmas Day and the Boxing Day substitute (Monday 28th) are holidays.
    const start = { ...LADO_START, calendar: CALENDAR };
    const sentOn = '2026-12-24' as IsoDate;
    expect(ladoAcknowledgementDue(start, sentOn, sharedCalendar(CALENDAR))).toBe('2026-12-29');
    expect(ladoChases(start, sentOn, sharedCalendar(CALENDAR))).toEqual([
      { on: '2026-12-30', acknowledgementDue: '2026-12-29' },
      { on: '2027-01-04', acknowledgementDue: '2026-12-29' },
    ]);
  });

  it('sends the referral at once and chases the acknowledgement on the policy dates until it comes', () => {
    const lado = ladoReferral().runTo('2026-09-14');
    expect(lado.sent).toEqual([
      '2026-09-07 lado-referral lado-referral due 2026-09-08',
      '2026-09-09 lado-acknowledgement overdue due 2026-09-08',
      '2026-09-11 lado-acknowledgement overdue due 2026-09-08',
    ]);
    expect(lado.state.chasesSent).toBe(2);
  });

  it('stops chasing once acknowledged, and ends with the outcome', () => {
    const lado = ladoReferral();
    lado.tell({ kind: 'event', event: ev('2026-09-08', { type: 'lado-referral-acknowledged' }) }, '2026-09-08');
    lado.runTo('2026-09-30');
    expect(lado.sent).toEqual(['2026-09-07 lado-referral lado-referral due 2026-09-08']);
    lado.tell(
      { kind: 'event', event: ev('2026-09-30', { type: 'lado-outcome', outcome: 'substantiated' }) },
      '2026-09-30',
    );
    expect(lado.ended).toBe(true);
  });

  it('reports the referral sent, the chases, and the end to the case, in order', () => {
    let state = openLadoState(LADO_START);
    const reportsOf: string[] = [];
    const step = (now: number, settle = true) => {
      const d = decideLado(state, now);
      state = d.state;
      reportsOf.push(
        ...d.reports.map((r) => `${r.kind} ${r.detail}${r.ladoReferralSentOn ? ` ${r.ladoReferralSentOn}` : ''}`),
      );
      if (settle && d.notices.length > 0) {
        state = settleLadoNotices(
          state,
          d.notices.map((notice) => ({ notice, status: 'sent' as const })),
          now,
        );
      }
      return d;
    };
    step(at('2026-09-07', 10));
    step(at('2026-09-07', 10));
    step(at('2026-09-09'));
    step(at('2026-09-09'));
    state = applyLadoMessage(state, {
      kind: 'event',
      event: ev('2026-09-10', { type: 'case-closed', reason: 'no-further-action-after-assessment' }),
    });
    const last = step(at('2026-09-10'));
    expect(reportsOf).toEqual([
      'lado-referral lado-referral email to lado:lado-0101 sent 2026-09-07',
      'lado acknowledgement chase 1: overdue email to lado:lado-0101 sent',
      'lado case closed before the LADO outcome',
    ]);
    expect(last.result).toMatchObject({ endedBy: 'case-closed', referralSentOn: '2026-09-07', chasesSent: 1 });
  });

  it('asks for the referral by hand when its email fails, tries it each working day until sent, and chases from then', () => {
    const lado = ladoReferral(() => 'failed').runTo('2026-09-14');
    // Tried again each working day (the weekend skipped), reported to the case once.
    expect(lado.sent).toEqual(
      ['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11', '2026-09-14'].map(
        (day) => `${day} lado-referral lado-referral due 2026-09-08`,
      ),
    );
    expect(lado.reports).toEqual([
      'notification-failed lado-referral email to lado:lado-0101 failed: RecipientUnknown: not in the directory; send the referral by hand',
    ]);
    // Sent by hand: the referral is no longer tried.
    lado.tell({ kind: 'event', event: ev('2026-09-14', { type: 'lado-referral-sent' }) }, '2026-09-14');
    lado.runTo('2026-09-18');
    expect(lado.sent.slice(6).filter((l) => l.includes(' lado-referral '))).toEqual([]);
    // Chases failed too (same mailbox): the first on its date 1 working day after the 15th, then each working day;
    // the second on its own date.
    expect(lado.sent.slice(6)).toEqual([
      '2026-09-16 lado-acknowledgement overdue due 2026-09-15',
      '2026-09-17 lado-acknowledgement overdue due 2026-09-15',
      '2026-09-18 lado-acknowledgement overdue due 2026-09-15',
      '2026-09-18 lado-acknowledgement overdue due 2026-09-15',
    ]);
  });

  it('sends the referral once the LADO’s address is fixed, recording it as sent that day', () => {
    let reachable = false;
    const lado = ladoReferral(() => (reachable ? 'sent' : 'failed')).runTo('2026-09-07');
    reachable = true;
    lado.runTo('2026-09-08');
    expect(lado.sent).toEqual([
      '2026-09-07 lado-referral lado-referral due 2026-09-08',
      '2026-09-08 lado-referral lado-referral due 2026-09-08',
    ]);
    expect(ladoStatusOf(lado.state).referralSentOn).toBe('2026-09-08');
    expect(lado.reports.at(-1)).toBe('lado-referral lado-referral email to lado:lado-0101 sent');
  });

  it('follows a corrected acknowledgement: withdrawn, the chases still to come go out', () => {
    const lado = ladoReferral();
    lado.tell({ kind: 'event', event: ev('2026-09-08', { type: 'lado-referral-acknowledged' }) }, '2026-09-08');
    lado.tell({ kind: 'events', events: [] }, '2026-09-10');
    lado.runTo('2026-09-14');
    expect(lado.sent).toEqual([
      '2026-09-07 lado-referral lado-referral due 2026-09-08',
      '2026-09-10 lado-acknowledgement overdue due 2026-09-08',
      '2026-09-11 lado-acknowledgement overdue due 2026-09-08',
    ]);
  });
});
