/**
 * cpflow's own Prometheus metrics (prom-client), served on the operations port's `/metrics` together with the
 * Temporal SDK's runtime metrics (`temporal_*`, read from the SDK's own exporter and appended).
 *
 * | metric                                            | type    | labels | what                                        |
 * | ------------------------------------------------- | ------- | ------ | ------------------------------------------- |
 * | `cpflow_notifications_sent_total`                 | counter | kind   | emails delivered                            |
 * | `cpflow_notifications_deferred_total`             | counter | kind   | attempts the mail server could not take     |
 * |                                                   |         |        | (outage, 4xx): retried by the workflow      |
 * | `cpflow_notifications_failed_total`               | counter | kind   | refused for good (unknown or rejected       |
 * |                                                   |         |        | recipient, invalid notification)            |
 * | `cpflow_cases_open`                               | gauge   |        | open cases, from Temporal visibility        |
 * | `cpflow_overdue_steps`                            | gauge   | team   | steps overdue today, by owning team         |
 * | `cpflow_visibility_last_read_timestamp_seconds`   | gauge   |        | when the two gauges above were last read    |
 * | `cpflow_visibility_read_failures_total`           | counter |        | visibility reads that failed (values stale) |
 *
 * plus prom-client's process and Node.js metrics (`process_*`, `nodejs_*`). Labels are a notification kind or
 * a team id: bounded, and never personal. The visibility gauges are read when scraped, at most once per
 * {@link VISIBILITY_MAX_AGE_MS} (the same reading *Team* and `cpflow overdue` use: cpflow's search attributes),
 * and only by the process that was given a client — `npm start`'s, so several workers do not repeat the counts.
 */
import type { Client } from '@temporalio/client';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { parseOverdueStepValue, readOverdueRows } from '../cli/cases/overdue';
import { todayInEngland } from '../cli/options';
import type { IsoDate } from '../domain/calendar';
import { NOTIFICATION_KINDS } from '../domain/notifications';
import { CPFLOW_CASE_OPEN } from '../workflows/search-attributes';

/** What the notification activities count, by notification kind. */
export interface NotificationMetrics {
  /** An email was delivered. */
  sent(kind: string): void;
  /** The mail server could not take it now (outage, 4xx): the workflow retries it. */
  deferred(kind: string): void;
  /** Refused for good (unknown or rejected recipient, invalid notification). */
  failed(kind: string): void;
}

/** How old the visibility gauges may be before a scrape reads them again. */
export const VISIBILITY_MAX_AGE_MS = 30_000;

/** The visibility query for open cases (child workflows never publish `CpflowCaseOpen`). */
export const OPEN_CASES_QUERY = `ExecutionStatus = 'Running' AND ${CPFLOW_CASE_OPEN.name} = true`;

/** Case figures read from visibility. */
export interface VisibilityFigures {
  readonly casesOpen: number;
  /** Steps overdue today by team id (`none` for cases without a team). */
  readonly overdueStepsByTeam: ReadonlyMap<string, number>;
}

/** Reads the open cases and the overdue steps by team from visibility. */
export async function readVisibilityFigures(client: Client, today: IsoDate): Promise<VisibilityFigures> {
  const [count, rows] = await Promise.all([
    client.workflow.count(OPEN_CASES_QUERY),
    readOverdueRows(client, { today }),
  ]);
  const overdueStepsByTeam = new Map<string, number>();
  for (const row of rows) {
    const team = row.team ?? 'none';
    for (const value of row.openStepDues) {
      const step = parseOverdueStepValue(value);
      if (step !== undefined && step.dueDate < today)
        overdueStepsByTeam.set(team, (overdueStepsByTeam.get(team) ?? 0) + 1);
    }
  }
  return { casesOpen: count.count, overdueStepsByTeam };
}

/** Options of {@link CpflowMetrics}. */
export interface CpflowMetricsOptions {
  /** Today in England (tests set it). */
  readonly today?: () => IsoDate;
  /** Wall clock in ms (tests set it). */
  readonly clock?: () => number;
  /** How old the visibility gauges may be (default {@link VISIBILITY_MAX_AGE_MS}). */
  readonly visibilityMaxAgeMs?: number;
  /** Process and Node.js metrics (default true). */
  readonly processMetrics?: boolean;
}

const KINDS = new Set<string>(NOTIFICATION_KINDS);
/** A kind label: one of the notification kinds, else `unknown` (labels stay few and never carry input). */
const kindLabel = (kind: string) => (KINDS.has(kind) ? kind : 'unknown');

/** One process's registry of cpflow metrics. */
export class CpflowMetrics {
  readonly registry = new Registry();
  readonly notifications: NotificationMetrics;
  #client: Client | undefined;
  #figures: { value: VisibilityFigures; at: number } | undefined;

  constructor(private readonly options: CpflowMetricsOptions = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['kind'], registers });
    const sent = counter('cpflow_notifications_sent_total', 'Notification emails delivered.');
    const deferred = counter(
      'cpflow_notifications_deferred_total',
      'Notification attempts the mail server could not take (outage, 4xx); the workflow retries them.',
    );
    const failed = counter(
      'cpflow_notifications_failed_total',
      'Notifications refused for good (unknown or rejected recipient, invalid notification).',
    );
    this.notifications = {
      sent: (kind) => sent.inc({ kind: kindLabel(kind) }),
      deferred: (kind) => deferred.inc({ kind: kindLabel(kind) }),
      failed: (kind) => failed.inc({ kind: kindLabel(kind) }),
    };
  }

  /**
   * Adds the case gauges, read from this client's visibility (npm start's process only: the figures are the
   * deployment's, not the process's).
   */
  readVisibilityFrom(client: Client): void {
    const first = this.#client === undefined;
    this.#client = client;
    if (first) this.registerVisibilityGauges();
  }

  private registerVisibilityGauges(): void {
    const registers = [this.registry];
    // prom-client collects every metric of a scrape at once: the four share one read of visibility.
    let refreshing: Promise<void> | undefined;
    const refresh = () =>
      (refreshing ??= this.refreshVisibility()
        .catch(() => failures.inc())
        .finally(() => {
          refreshing = undefined;
        }));
    const failures: Counter = new Counter({
      name: 'cpflow_visibility_read_failures_total',
      help: 'Reads of Temporal visibility for the case gauges that failed (the gauges keep their last values).',
      registers,
      collect: () => refresh(),
    });
    const lastRead: Gauge = new Gauge({
      name: 'cpflow_visibility_last_read_timestamp_seconds',
      help: 'When the case gauges were last read from Temporal visibility (Unix time).',
      registers,
      collect: async () => {
        await refresh();
        if (this.#figures !== undefined) lastRead.set(this.#figures.at / 1000);
      },
    });
    const casesOpen: Gauge = new Gauge({
      name: 'cpflow_cases_open',
      help: 'Open cases, from Temporal visibility.',
      registers,
      collect: async () => {
        await refresh();
        if (this.#figures !== undefined) casesOpen.set(this.#figures.value.casesOpen);
      },
    });
    const overdueSteps: Gauge<'team'> = new Gauge({
      name: 'cpflow_overdue_steps',
      help: 'Steps overdue today (due before today in England), by the team that owns the case.',
      labelNames: ['team'],
      registers,
      collect: async () => {
        await refresh();
        if (this.#figures === undefined) return;
        overdueSteps.reset();
        for (const [team, steps] of this.#figures.value.overdueStepsByTeam) overdueSteps.set({ team }, steps);
      },
    });
  }

  /** The metrics in Prometheus's text format. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** The Content-Type of {@link metrics}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Reads visibility again when the figures are older than allowed. */
  private async refreshVisibility(): Promise<void> {
    const client = this.#client;
    if (client === undefined) return;
    const now = (this.options.clock ?? Date.now)();
    const maxAge = this.options.visibilityMaxAgeMs ?? VISIBILITY_MAX_AGE_MS;
    if (this.#figures !== undefined && now - this.#figures.at < maxAge) return;
    const value = await readVisibilityFigures(client, (this.options.today ?? todayInEngland)());
    this.#figures = { value, at: now };
  }
}
