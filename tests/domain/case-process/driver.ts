/**
 * Drives the pure case process through days of virtual time, as the case workflow does but without Temporal:
 * the process decides at each instant it asks to wake at (and right after each command), every notice it sends
 * is delivered at once, and what was sent is kept with the UK date it went out.
 */
import { type IsoDate, ukDateOf, ukInstant } from '../../../domain/calendar';
import type { CaseEvent, Referral } from '../../../domain/case';
import {
  applyCommand,
  type CaseCommand,
  calendarWanted,
  type CaseState,
  type Decision,
  decideNext,
  type Notice,
  openCaseState,
  settleNotices,
} from '../../../domain/case-process';
import type { Refusal } from '../../../domain/rules';
import { HOLIDAYS, policy } from '../planner/fixtures';
import { loadHolidays } from '../../../config/holidays';

/** The calendar data the driven cases plan with (2026–2027, holidays from gov.uk). */
export const CALENDAR = { holidays: HOLIDAYS, coveredYears: { from: 2026, to: 2027 } };

/** One notice as it went out. */
export interface Sent {
  readonly on: IsoDate;
  readonly notice: Notice;
}

/** A case driven through virtual time. */
export class DrivenCase {
  state: CaseState;
  now: number;
  readonly sent: Sent[] = [];
  readonly decisions: Decision[] = [];
  /** Recipients whose emails fail for good (not in the directory) until removed from the set. */
  readonly unreachable = new Set<string>();

  constructor(
    referral: Referral,
    openedAt: number = ukInstant(referral.receivedOn, 8),
    unreachable: readonly string[] = [],
  ) {
    for (const recipient of unreachable) this.unreachable.add(recipient);
    this.now = openedAt;
    this.state = openCaseState(referral, CALENDAR, new Date(openedAt).toISOString());
    this.#decide();
  }

  #decide(): Decision {
    const wanted = calendarWanted(this.state, ukDateOf(this.now));
    if (wanted !== undefined) {
      // As the workflow does with its activity (there a moment later): load the years asked for and add them.
      const grown = applyCommand(
        this.state,
        { type: 'extend-calendar', toYear: wanted.toYear, holidays: loadHolidays(wanted) },
        { policy, now: this.now },
      );
      if (!grown.ok) throw new Error(`calendar growth refused: ${JSON.stringify(grown.refusals)}`);
      this.state = grown.state;
    }
    const decision = decideNext(this.state, { policy, now: this.now });
    this.decisions.push(decision);
    this.state = decision.state;
    if (decision.notices.length > 0) {
      const reached = decision.notices.filter((n) => !this.unreachable.has(n.recipient));
      for (const notice of reached) this.sent.push({ on: ukDateOf(this.now), notice });
      this.state = settleNotices(
        this.state,
        decision.notices.map((notice) =>
          this.unreachable.has(notice.recipient)
            ? {
                notice,
                status: 'failed' as const,
                failure: `UnknownRecipient: ${notice.recipient} is not in the directory`,
              }
            : { notice, status: 'sent' as const },
        ),
        new Date(this.now).toISOString(),
        policy,
      );
      // As the workflow does when a settlement changed the case: decide again at once (escalations go now, and
      // the next wake-up includes the retries).
      if (reached.length < decision.notices.length) this.#decide();
    }
    return decision;
  }

  /** Moves time to `hour`:00 UK time on `date`, deciding at every wake-up on the way (no worker outage). */
  runTo(date: string, hour = 10): this {
    const until = ukInstant(date as IsoDate, hour);
    for (;;) {
      const wakeAt = this.decisions.at(-1)?.wakeAt;
      if (wakeAt === undefined || wakeAt > until) break;
      this.now = wakeAt;
      this.#decide();
    }
    this.now = Math.max(this.now, until);
    return this;
  }

  /** Jumps to `hour`:00 on `date` without deciding on the way (no worker), then decides once: a catch-up. */
  outageUntil(date: string, hour = 10): this {
    this.now = ukInstant(date as IsoDate, hour);
    this.#decide();
    return this;
  }

  /** Applies a command now, then decides; returns the refusals when it was refused. */
  command(command: CaseCommand): readonly Refusal[] {
    const applied = applyCommand(this.state, command, { policy, now: this.now });
    if (!applied.ok) return applied.refusals;
    this.state = applied.state;
    this.#decide();
    return [];
  }

  /** Records an event at 10:00 on its date (running time there first). */
  record(event: CaseEvent, hour = 10): readonly Refusal[] {
    this.runTo(event.occurredOn, hour);
    return this.command({ type: 'record-event', event });
  }

  /** The notices sent, as `date stepId kind recipient`. */
  sentLines(filter: (s: Sent) => boolean = () => true): string[] {
    return this.sent.filter(filter).map((s) => `${s.on} ${s.notice.stepId} ${s.notice.kind} ${s.notice.recipient}`);
  }
}
