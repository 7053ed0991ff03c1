/**
 * Plain-text rendering of what the case commands print: a case's timeline, a command receipt, `case show`.
 * Procedural data only (references, staff ids, step ids, dates, §s).
 */
import { type IsoDate, weekdayOf } from '../../domain/calendar';
import { openSteps } from '../../domain/case-process';
import type { Timeline, TimelineStep } from '../../domain/planner';
import type { AuditEntry, CommandReceipt } from '../../workflows/case/messages';
import type { CaseView, OpenedCase } from './case-client';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** `2026-09-22 Tue`. */
export function dayLabel(date: IsoDate): string {
  return `${date} ${WEEKDAYS[weekdayOf(date) - 1]}`;
}

/** The widest a table line may be: a terminal's 80 columns. */
export const TABLE_WIDTH = 80;

/** `text` broken at spaces into lines of at most `width` characters (a longer word stands alone). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Left-aligned columns separated by two spaces, at most {@link TABLE_WIDTH} wide: the leading columns that fit
 * make the table, the last of them wrapped to the width left; any column that does not fit goes below its row,
 * indented, as `HEADER value`, wrapped.
 */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // The leading columns that fit with at least 12 characters for the last of them.
  let fit = header.length;
  const start = (k: number) => widths.slice(0, k).reduce((sum, w) => sum + w + 2, 0);
  while (fit > 1 && start(fit - 1) + Math.min(widths[fit - 1], 12) > TABLE_WIDTH) fit -= 1;
  const lastStart = start(fit - 1);
  const lastWidth = Math.max(12, TABLE_WIDTH - lastStart);
  const rowLines = (cells: readonly string[]): string[] => {
    const lead = cells
      .slice(0, fit - 1)
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ');
    const last = wrap(cells[fit - 1], lastWidth);
    const lines = last.map((l, i) => `${i === 0 ? lead : ' '.repeat(lead.length)}${fit > 1 ? '  ' : ''}${l}`.trimEnd());
    for (let i = fit; i < cells.length; i += 1) {
      const label = `    ${header[i]} `;
      wrap(cells[i], TABLE_WIDTH - label.length).forEach((l, j) =>
        lines.push(`${j === 0 ? label : ' '.repeat(label.length)}${l}`.trimEnd()),
      );
    }
    return lines;
  };
  return [
    header
      .slice(0, fit)
      .map((h, i) => (i === fit - 1 ? h : h.padEnd(widths[i])))
      .join('  '),
    ...rows.flatMap(rowLines),
  ];
}

function countsFromLabel(step: TimelineStep): string {
  const from = step.countsFrom;
  if (from === undefined) return step.waitsFor === undefined ? '-' : `waits for ${step.waitsFor}`;
  return `${from.event} ${from.date}${from.basis === 'projected' ? ' (due date)' : ''}`;
}

function statusLabel(step: TimelineStep): string {
  if (step.status === 'done' && step.completedOn !== undefined) return `done ${step.completedOn}`;
  if (step.status === 'not-required' && step.notRequiredReason !== undefined)
    return `not required (${step.notRequiredReason})`;
  if (step.extension !== undefined && step.status !== 'done')
    return `${step.status} (extended from ${step.extension.originalDueDate})`;
  return step.status;
}

/** The timeline as a table: step, due date, status, what it counts from, rule. */
export function formatTimelineTable(steps: readonly TimelineStep[]): string[] {
  return formatColumns(
    ['STEP', 'DUE', 'STATUS', 'COUNTS FROM', 'RULE'],
    steps.map((s) => [
      s.id,
      s.dueDate === undefined ? '-' : dayLabel(s.dueDate),
      statusLabel(s),
      countsFromLabel(s),
      s.rule,
    ]),
  );
}

/** The steps still to do: those with a due date by due date, then those waiting for an event. */
export const openStepsOf = (timeline: Timeline): TimelineStep[] => openSteps(timeline);

/** What `referral create` prints: the opened case and its deadlines. */
export function formatOpenedCase(opened: OpenedCase, teamId: string, practitionerId: string): string {
  const { timeline } = opened;
  return [
    `Case ${opened.caseReference} opened (policy ${timeline.policyId}; ${teamId}; assigned to ${practitionerId}).`,
    `Deadlines as of ${timeline.today}:`,
    '',
    ...formatTimelineTable(openStepsOf(timeline)),
  ].join('\n');
}

/** What a recorded command prints. */
export function formatReceipt(receipt: CommandReceipt): string {
  const lines = [
    `Case ${receipt.caseReference}: ${receipt.recorded} recorded (audit #${receipt.auditSeq}, at ${receipt.acceptedAt}); stage ${receipt.stage}.`,
  ];
  if (receipt.nextStep !== undefined)
    lines.push(`Next step: ${receipt.nextStep.id} due ${dayLabel(receipt.nextStep.dueDate)}.`);
  else lines.push('No open steps.');
  for (const change of receipt.changedDueDates) {
    lines.push(`Due date of ${change.stepId} moved from ${change.from} to ${change.to}.`);
  }
  return lines.join('\n');
}

/** One audit trail line: `#3  2026-09-02T10:00:00Z  sw-0042  partner-interview on 2026-09-02`. */
export function formatAuditEntry(entry: AuditEntry): string {
  let what: string;
  if (entry.command === 'applyHolidays') {
    what = `holidays applied: ${(entry.holidays ?? []).map((h) => `${h.date} (${h.name})`).join(', ')}`;
  } else if (entry.event !== undefined) {
    const event = entry.event;
    const step = 'stepId' in event ? ` ${event.stepId}` : '';
    what = `${event.type}${step} on ${event.occurredOn}`;
  } else {
    what = entry.command;
  }
  return `#${entry.seq}  ${entry.at}  ${entry.recordedBy}  ${what}`;
}

/** How many audit entries `case show` prints by default. */
export const RECENT_AUDIT_ENTRIES = 10;

/** What `case show` prints: status, overdue steps, open steps, the full timeline and recent audit trail. */
export function formatCaseView(view: CaseView, auditEntries = RECENT_AUDIT_ENTRIES): string {
  const { status, timeline, audit } = view;
  const lines = [
    `Case ${status.caseReference}: ${status.open ? 'open' : 'closed'}, stage ${status.stage}; ${status.teamId}; assigned to ${status.practitionerId}; today ${status.today}.`,
  ];
  const overdue = timeline.steps.filter((s) => s.status === 'overdue');
  lines.push(
    overdue.length === 0
      ? 'Overdue: none.'
      : `Overdue: ${overdue.map((s) => `${s.id} (due ${s.dueDate})`).join(', ')}.`,
  );
  if (status.nextStep !== undefined)
    lines.push(`Next step: ${status.nextStep.id} due ${dayLabel(status.nextStep.dueDate)}.`);
  for (const u of status.undelivered ?? []) {
    lines.push(
      `Not delivered: ${u.kind} email about ${u.stepId} to ${u.recipient} (${u.failure}); tried again ${u.retryOn}.`,
    );
  }
  const open = openStepsOf(timeline);
  lines.push('', `Open steps (${open.length}):`);
  lines.push(...(open.length === 0 ? ['  none'] : formatTimelineTable(open).map((l) => `  ${l}`)));
  const closed = timeline.steps.filter((s) => !open.includes(s));
  if (closed.length > 0) {
    lines.push('', `Done or not required (${closed.length}):`, ...formatTimelineTable(closed).map((l) => `  ${l}`));
  }
  if (timeline.findings.length > 0) {
    lines.push('', 'Findings:', ...timeline.findings.map((f) => `  [${f.severity}] ${f.message} (${f.rule})`));
  }
  const recent = audit.slice(-auditEntries);
  lines.push('', `Audit trail (last ${recent.length} of ${audit.length}):`);
  lines.push(...(recent.length === 0 ? ['  none'] : recent.map((e) => `  ${formatAuditEntry(e)}`)));
  return lines.join('\n');
}
