/** The readable form of a {@link SimulationReport}: one line per thing that happened, with its virtual time. */
import type { SimulationEntry, SimulationReport } from './run-scenario';
import { ukWallClock } from './uk-time';

/** `2030-03-05 Tue 09:00  day   1  reminder         icpc  …` (UK time). */
export function formatSimulationEntry(entry: SimulationEntry): string {
  const clock = ukWallClock(entry.at);
  const step = entry.stepId === undefined ? '' : `[${entry.stepId}] `;
  return `${clock.date} ${clock.weekday} ${clock.time}  day ${String(entry.day).padStart(3)}  ${entry.kind.padEnd(18)} ${step}${entry.detail}`;
}

/** The whole report: header, every entry in order, and where the case stands at the end. */
export function formatSimulationReport(report: SimulationReport): string {
  const status = report.finalStatus;
  const lines = [
    `Simulation of case ${report.caseReference} (policy ${report.policyId})${report.description === undefined ? '' : `: ${report.description}`}`,
    `Virtual time ${report.openedAt} → ${report.endsAt}; times below are UK local time; day 0 = referral received.`,
    '',
    ...report.entries.map(formatSimulationEntry),
    '',
    `End: stage ${status.stage}, ${status.open ? 'open' : 'closed'}; ${report.emails.length} email(s) delivered, ${report.deferredEmails.length} deferred by SMTP outages.`,
    status.overdue.length === 0 ? 'Overdue at the end: none.' : `Overdue at the end: ${status.overdue.join(', ')}.`,
  ];
  return lines.join('\n');
}
