/**
 * The case's timeline as a picture: a server-rendered SVG with one bar per dated step, from the date it counts
 * from to its due date — done, upcoming, overdue, not required — in lanes for the child-protection procedure, the
 * police's forensic wait (police updates, bail milestones) and the LADO track, with today marked. Steps still
 * waiting for their anchor have no bar (the page lists them). Text only from the timeline: ids, titles, dates.
 */
import { fromEpochDay, type IsoDate, toEpochDay } from '../domain/calendar';
import type { Timeline, TimelineStep } from '../domain/planner';
import { escapeHtml } from './html';

const LANES = [
  { track: 'child-protection', title: 'Child protection' },
  { track: 'forensic', title: 'Police and forensic wait' },
  { track: 'lado', title: 'LADO' },
] as const;

const WIDTH = 960;
const LABEL_WIDTH = 300;
const ROW = 22;
const LANE_GAP = 30;
const TOP = 40;

/** How a step's bar is drawn: its status as the page names it. */
export type BarStatus = 'done' | 'upcoming' | 'overdue' | 'not-required';

/** The bar status of a dated step. */
export function barStatusOf(step: TimelineStep): BarStatus {
  if (step.status === 'done') return 'done';
  if (step.status === 'not-required') return 'not-required';
  if (step.status === 'overdue') return 'overdue';
  return 'upcoming';
}

const FILL: Readonly<Record<BarStatus, string>> = {
  done: '#00703c',
  upcoming: '#1d70b8',
  overdue: '#d4351c',
  'not-required': '#b1b4b6',
};

const dayNumber = (date: IsoDate) => toEpochDay(date);

/** The SVG of `timeline` (dated steps only). */
export function timelineSvg(timeline: Timeline): string {
  const dated = timeline.steps.filter(
    (s): s is TimelineStep & { dueDate: IsoDate } => s.dueDate !== undefined && s.countsFrom !== undefined,
  );
  const starts = dated.map((s) => dayNumber(s.countsFrom?.date ?? s.dueDate));
  const ends = dated.map((s) => dayNumber(s.dueDate));
  const today = dayNumber(timeline.today);
  const first = Math.min(today, ...starts);
  const last = Math.max(today + 1, ...ends);
  const x = (day: number) => LABEL_WIDTH + ((day - first) / Math.max(1, last - first)) * (WIDTH - LABEL_WIDTH - 20);

  const parts: string[] = [];
  let y = TOP;
  for (const lane of LANES) {
    const steps = dated.filter((s) => s.track === lane.track);
    if (steps.length === 0) continue;
    parts.push(
      `<g class="lane" data-lane="${lane.track}"><text x="0" y="${y}" font-weight="bold" font-size="16">${lane.title}</text>`,
    );
    y += 8;
    for (const step of steps) {
      const status = barStatusOf(step);
      const from = x(dayNumber(step.countsFrom?.date ?? step.dueDate));
      const to = x(dayNumber(step.dueDate));
      const label = `${step.title}: ${statusText(status)}, due ${step.dueDate}`;
      parts.push(
        `<g class="step" data-step="${escapeHtml(step.id)}" data-status="${status}" data-from="${step.countsFrom?.date ?? step.dueDate}" data-due="${step.dueDate}">` +
          `<title>${escapeHtml(label)}</title>` +
          `<text x="0" y="${y + 15}" font-size="13">${escapeHtml(truncate(step.title, 42))}</text>` +
          `<rect x="${from.toFixed(1)}" y="${y + 4}" width="${Math.max(3, to - from).toFixed(1)}" height="14" fill="${FILL[status]}"/>` +
          `</g>`,
      );
      y += ROW;
    }
    parts.push('</g>');
    y += LANE_GAP - ROW + 14;
  }
  const height = y + 34;
  const now = x(today);
  // The span of the picture, so a reader can place the bars in time.
  parts.push(
    `<g class="axis"><text x="${LABEL_WIDTH}" y="${height - 2}" font-size="12">${fromEpochDay(first)}</text>` +
      `<text x="${WIDTH - 20}" y="${height - 2}" font-size="12" text-anchor="end">${fromEpochDay(last)}</text></g>`,
  );
  parts.push(
    `<g class="today" data-today="${timeline.today}"><line x1="${now.toFixed(1)}" y1="${TOP - 30}" x2="${now.toFixed(1)}" y2="${height - 10}" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="4 3"/>` +
      `<text x="${(now + 4).toFixed(1)}" y="${TOP - 20}" font-size="13">Today ${timeline.today}</text></g>`,
  );
  const summary = `Timeline of case ${timeline.caseReference}: ${dated.length} steps with due dates, ${
    dated.filter((s) => barStatusOf(s) === 'overdue').length
  } overdue`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(summary)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" font-family="Arial, sans-serif">` +
    `<title>${escapeHtml(summary)}</title>${parts.join('')}</svg>`
  );
}

function statusText(status: BarStatus): string {
  return status === 'not-required' ? 'not required' : status;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
