/**
 * The web service's one way to cases, shared by the pages and the JSON API: what a signed-in person may list,
 * read and change, scoped by their role (domain/access) before anything reaches Temporal, and every access
 * written to the access log.
 */
import type { Client } from '@temporalio/client';
import { addDays, type IsoDate, weekdayOf } from '../../domain/calendar';
import {
  canAgreeExtension,
  canOpenReferral,
  canReadCase,
  canRequestExtension,
  type CaseScope,
  LADO_EVENTS,
  recordableEvents,
  type Viewer,
} from '../../domain/access';
import { CASE_EVENT_TYPES, type CaseEvent, type CaseEventType, type Referral } from '../../domain/case';
import type { ApiClient } from '../identity/api-tokens';
import { type CaseView, openCase, type OpenedCase, readCase, recordCaseEvent } from '../../cli/cases/case-client';
import { caseCalendarData } from '../../cli/cases/inputs';
import { type OpenCaseRow, parseOverdueStepValue, readOpenCaseRows } from '../../cli/cases/overdue';
import { type CommandReceipt, parseCaseOpening, parseRecordEvent } from '../../domain/case-process';
import { CaseAlreadyExistsError, CommandRefusedError } from '../../cli/cases/errors';
import type { ProcedurePolicy } from '../../domain/policy';
import type { Roster } from '../identity/roster';

/** The viewer may not do this (HTTP 403). */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  constructor(readonly action: string) {
    super(`not allowed: ${action}`);
  }
}

/** One open step on a worklist. */
export interface WorkItem {
  readonly caseReference: string;
  readonly stepId: string;
  readonly dueDate: IsoDate;
  readonly practitionerId: string;
  readonly teamId: string;
  /** overdue: due before today; this-week / next-week: due by the Friday of this or next week; later. */
  readonly when: 'overdue' | 'this-week' | 'next-week' | 'later';
}

/** A practitioner's line on a manager's team view. */
export interface PractitionerLoad {
  readonly practitionerId: string;
  readonly teamId: string;
  readonly caseload: number;
  readonly overdue: readonly WorkItem[];
  readonly dueThisWeek: number;
}

/** How many of a step were done by their due date, across the team's open cases. */
export interface Timeliness {
  readonly stepId: string;
  readonly onTime: number;
  readonly late: number;
}

/** The steps a team's timeliness is reported for: the ICPC, the assessment, the visits. */
export const TIMELINESS_STEPS = ['icpc', 'assessment-complete', 'visit'] as const;

/** A case as the viewer may see it, with what they may record on it. */
export interface CasePage extends CaseView {
  readonly recordable: readonly CaseEventType[];
  /** The viewer may ask for an extension. */
  readonly mayRequestExtension: boolean;
  /** The steps of the extension requests the viewer may agree. */
  readonly mayAgree: readonly string[];
}

/** What someone asking for an extension gives. */
export interface ExtensionAsked {
  readonly stepId: string;
  readonly newDueDate: string;
  readonly reason: string;
}

/** Options of {@link CaseService}. */
export interface CaseServiceOptions {
  readonly client: Client;
  readonly roster: Roster;
  readonly policy: ProcedurePolicy;
  /** Today in England (a simulation or a test sets it). */
  readonly today: () => IsoDate;
  readonly taskQueue?: string;
  /**
   * How old (ms) the visibility rows behind *Team* may be before they are read again (default 30 s). Reading
   * thousands of cases' rows takes seconds on a small server; a manager's view a few seconds old does not harm.
   */
  readonly teamRowsMaxAgeMs?: number;
  /** Wall clock for the rows' age (tests set it). */
  readonly clock?: () => number;
}

/** What a page or an API call does with cases, for one signed-in person. */
export class CaseService {
  constructor(private readonly options: CaseServiceOptions) {}

  /** The procedure policy cases are opened with. */
  get policy(): ProcedurePolicy {
    return this.options.policy;
  }

  /** Today in England, as the service reads cases. */
  today(): IsoDate {
    return this.options.today();
  }

  /** The viewer's own open steps: overdue, due this week and next. */
  async myWork(viewer: Viewer): Promise<WorkItem[]> {
    if (viewer.role !== 'practitioner') throw new ForbiddenError('my-work');
    const rows = await readOpenCaseRows(this.options.client, { assignee: viewer.staffId });
    return workItems(rows, this.options.today()).filter((w) => w.when !== 'later');
  }

  /**
   * A manager's team view: each practitioner's caseload, overdue steps and steps due this week, and the share of
   * ICPCs, assessments and visits done on time in the open cases.
   */
  async team(viewer: Viewer): Promise<{ loads: PractitionerLoad[]; timeliness: Timeliness[]; asOf: number }> {
    const teams = await this.teamsOf(viewer);
    if (teams === undefined) throw new ForbiddenError('team');
    const { rows, at } = await this.teamRows(teams);
    return { loads: this.loadsOf(rows), timeliness: timelinessOf(rows), asOf: at };
  }

  readonly #teamRows = new Map<string, { rows: Promise<OpenCaseRow[]>; at: number }>();

  /**
   * The open cases of `teams` as visibility lists them, read again once older than `teamRowsMaxAgeMs`: the
   * stale answer is served while a fresh one is read, so only the first view waits.
   */
  private async teamRows(teams: readonly string[]): Promise<{ rows: OpenCaseRow[]; at: number }> {
    const now = (this.options.clock ?? Date.now)();
    const key = [...teams].sort().join(',');
    const cached = this.#teamRows.get(key);
    const read = () => {
      const entry = { rows: readOpenCaseRows(this.options.client, { teams: [...teams] }), at: now };
      entry.rows.catch(() => this.#teamRows.delete(key));
      return entry;
    };
    if (cached === undefined) {
      const entry = read();
      this.#teamRows.set(key, entry);
      return { rows: await entry.rows, at: entry.at };
    }
    if (now - cached.at > (this.options.teamRowsMaxAgeMs ?? 30_000)) {
      const fresh = read();
      // Serve the fresh rows once they are in; until then the stale ones.
      void fresh.rows.then(() => this.#teamRows.set(key, fresh)).catch(() => undefined);
    }
    return { rows: await cached.rows, at: cached.at };
  }

  private loadsOf(rows: readonly OpenCaseRow[]): PractitionerLoad[] {
    const loads = new Map<string, { teamId: string; caseload: number; overdue: WorkItem[]; dueThisWeek: number }>();
    const loadOf = (practitionerId: string, teamId: string) => {
      let load = loads.get(practitionerId);
      if (load === undefined) loads.set(practitionerId, (load = { teamId, caseload: 0, overdue: [], dueThisWeek: 0 }));
      return load;
    };
    for (const row of rows) loadOf(row.assignee ?? '', row.team ?? '').caseload += 1;
    for (const item of workItems(rows, this.options.today())) {
      const load = loadOf(item.practitionerId, item.teamId);
      if (item.when === 'overdue') load.overdue.push(item);
      else if (item.when === 'this-week') load.dueThisWeek += 1;
    }
    return [...loads]
      .map(([practitionerId, load]) => ({ practitionerId, ...load }))
      .sort((a, b) => b.overdue.length - a.overdue.length || a.practitionerId.localeCompare(b.practitionerId));
  }

  /** The LADO's worklist: their authority's cases with a LADO step open — referrals due, acknowledgements and meetings. */
  async ladoWork(viewer: Viewer): Promise<WorkItem[]> {
    if (viewer.role !== 'lado' || viewer.authority === undefined) throw new ForbiddenError('lado');
    const teams = await this.options.roster.teamsOf(viewer.authority);
    const rows = await readOpenCaseRows(this.options.client, { teams });
    return workItems(rows, this.options.today()).filter((w) => w.stepId.startsWith('lado-'));
  }

  /** A case the viewer may read. */
  async readCase(viewer: Viewer, caseReference: string): Promise<CasePage> {
    const view = await readCase(this.options.client, caseReference, { asOf: this.options.today() });
    const scope = scopeOf(view);
    if (!canReadCase(viewer, scope)) throw new ForbiddenError('read-case');
    return {
      ...visibleTo(viewer, view),
      recordable: recordableEvents(viewer, scope, CASE_EVENT_TYPES),
      mayRequestExtension: canRequestExtension(viewer, scope),
      mayAgree: view.status.extensionRequests
        .filter((r) => canAgreeExtension(viewer, scope, r.requestedBy))
        .map((r) => r.stepId),
    };
  }

  /** Asks for an extension as the viewer (validated as an event by the case). */
  async requestExtension(viewer: Viewer, caseReference: string, asked: ExtensionAsked): Promise<CommandReceipt> {
    const page = await this.readCase(viewer, caseReference);
    if (!page.mayRequestExtension) throw new ForbiddenError('request-extension');
    const event = parseCaseEventOrRefuse(caseReference, 'extension-requested', {
      type: 'extension-requested',
      occurredOn: this.options.today(),
      recordedBy: viewer.staffId,
      ...asked,
    });
    return recordCaseEvent(this.options.client, caseReference, event, { asOf: this.options.today() });
  }

  /** Agrees, as the signed-in manager, the extension someone else asked for on `stepId`. */
  async agreeExtension(viewer: Viewer, caseReference: string, stepId: string): Promise<CommandReceipt> {
    const page = await this.readCase(viewer, caseReference);
    const request = page.status.extensionRequests.find((r) => r.stepId === stepId);
    if (request === undefined || !page.mayAgree.includes(stepId)) throw new ForbiddenError('agree-extension');
    const event = parseCaseEventOrRefuse(caseReference, 'deadline-extended', {
      type: 'deadline-extended',
      occurredOn: this.options.today(),
      recordedBy: viewer.staffId,
      stepId,
      newDueDate: request.newDueDate,
      reason: request.reason,
      agreedBy: viewer.staffId,
      requestedBy: request.requestedBy,
    });
    return recordCaseEvent(this.options.client, caseReference, event, { asOf: this.options.today() });
  }

  /** Records an event as the viewer (`recordedBy` is always the signed-in person). */
  async recordEvent(viewer: Viewer, caseReference: string, event: CaseEvent): Promise<CommandReceipt> {
    const page = await this.readCase(viewer, caseReference);
    if (!page.recordable.includes(event.type)) throw new ForbiddenError(`record-event ${event.type}`);
    return recordCaseEvent(this.options.client, caseReference, { ...event, recordedBy: viewer.staffId } as CaseEvent, {
      asOf: this.options.today(),
    });
  }

  /**
   * Open cases the caller may see, a page at a time in case-reference order: `cursor` is the last reference of
   * the previous page (encoded), `nextCursor` is set while more follow.
   */
  async listCases(
    caller: Viewer | ApiClient,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: OpenCaseRow[]; nextCursor?: string }> {
    const filter = await this.filterOf(caller);
    const after = page.cursor === undefined ? '' : Buffer.from(page.cursor, 'base64url').toString('utf8');
    const rows = (await readOpenCaseRows(this.options.client, filter)).filter((r) => r.caseReference > after);
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return rows.length > page.limit && last !== undefined
      ? { items, nextCursor: Buffer.from(last.caseReference, 'utf8').toString('base64url') }
      : { items };
  }

  /** A case a case system may read: one of its authority. */
  async readCaseForClient(client: ApiClient, caseReference: string): Promise<CaseView> {
    const view = await readCase(this.options.client, caseReference, { asOf: this.options.today() });
    if (view.status.authority !== client.authority) throw new ForbiddenError('read-case');
    return view;
  }

  /** Opens a referral sent by a case system: for a team of its authority, allocated to one of the team's practitioners. */
  async openReferralForClient(client: ApiClient, raw: unknown): Promise<OpenedCase> {
    return this.#open(raw, async (referral) => {
      if (referral.authority !== client.authority) throw new ForbiddenError('open-referral');
      if (!(await this.options.roster.teamsOf(client.authority)).includes(referral.teamId)) {
        return { field: 'referral.teamId', rule: `must be a team of ${client.authority}` };
      }
      if (!(await this.options.roster.practitionersOf(referral.teamId)).includes(referral.practitionerId)) {
        return { field: 'referral.practitionerId', rule: 'must be a practitioner of the team' };
      }
      return undefined;
    });
  }

  /** Which open cases a caller sees in lists. */
  private async filterOf(caller: Viewer | ApiClient): Promise<{ teams?: string[]; assignee?: string }> {
    if (!('role' in caller)) return { teams: await this.options.roster.teamsOf(caller.authority) };
    if (caller.role === 'practitioner') return { assignee: caller.staffId };
    if (caller.role === 'auditor') return {};
    if ((caller.role === 'duty-worker' || caller.role === 'team-manager') && caller.teamId !== undefined) {
      return { teams: [caller.teamId] };
    }
    if (caller.authority !== undefined) return { teams: await this.options.roster.teamsOf(caller.authority) };
    throw new ForbiddenError('list-cases');
  }

  /** The practitioners a new referral of the viewer's team may be allocated to. */
  async practitionersFor(viewer: Viewer): Promise<string[]> {
    if (viewer.teamId === undefined || !canOpenReferral(viewer, viewer.teamId))
      throw new ForbiddenError('open-referral');
    return this.options.roster.practitionersOf(viewer.teamId);
  }

  /**
   * Opens a referral for the viewer's own team, allocated to one of its practitioners. `raw` is checked as every
   * referral is; a refusal names the field and the rule.
   */
  async openReferral(viewer: Viewer, raw: unknown): Promise<OpenedCase> {
    const practitioners = await this.practitionersFor(viewer);
    return this.#open(raw, (referral) => {
      if (referral.teamId !== viewer.teamId) throw new ForbiddenError('open-referral');
      if (!practitioners.includes(referral.practitionerId)) {
        return Promise.resolve({ field: 'referral.practitionerId', rule: 'must be a practitioner of your team' });
      }
      return Promise.resolve(undefined);
    });
  }

  /** Checks a referral as every way in does, then as `allowed` says, and opens its case. */
  async #open(
    raw: unknown,
    allowed: (referral: Referral) => Promise<{ field: string; rule: string } | undefined>,
  ): Promise<OpenedCase> {
    const today = this.options.today();
    const opening = parseCaseOpening(
      { referral: raw, policy: this.options.policy, calendar: caseCalendarData(today) },
      today,
    );
    if (!opening.ok) throw new CommandRefusedError('(new)', 'referral create', opening.refusals, 'CaseOpeningRefused');
    const { referral } = opening.value;
    const refused = await allowed(referral);
    if (refused !== undefined) {
      throw new CommandRefusedError('(new)', 'referral create', [
        { code: 'not-allowed', section: 'case allocation', ...refused },
      ]);
    }
    try {
      return await openCase(
        this.options.client,
        { referral, policy: this.options.policy, calendar: caseCalendarData(referral.receivedOn) },
        { asOf: today, ...(this.options.taskQueue === undefined ? {} : { taskQueue: this.options.taskQueue }) },
      );
    } catch (err) {
      if (!(err instanceof CaseAlreadyExistsError)) throw err;
      const rule = 'is already used by another case: a case reference is used once';
      throw new CommandRefusedError('(new)', 'referral create', [
        { code: 'case-exists', field: 'referral.caseReference', rule, section: 'case reference' },
      ]);
    }
  }

  /** The teams whose cases the viewer oversees; undefined when they oversee none. */
  private async teamsOf(viewer: Viewer): Promise<string[] | undefined> {
    if (viewer.role === 'team-manager' && viewer.teamId !== undefined) return [viewer.teamId];
    if (viewer.role === 'service-manager' && viewer.authority !== undefined) {
      return this.options.roster.teamsOf(viewer.authority);
    }
    return undefined;
  }
}

/** An event built by the service, checked by its schema; a refusal names the field and the rule. */
function parseCaseEventOrRefuse(caseReference: string, what: string, raw: unknown): CaseEvent {
  const parsed = parseRecordEvent(raw);
  if (!parsed.ok) throw new CommandRefusedError(caseReference, what, parsed.refusals, 'CommandRefused');
  return parsed.value;
}

/** The team's timeliness from its cases' published counts (`series:on-time:N`). */
export function timelinessOf(rows: readonly OpenCaseRow[]): Timeliness[] {
  return TIMELINESS_STEPS.map((stepId) => {
    let onTime = 0;
    let late = 0;
    for (const row of rows) {
      for (const value of row.timeliness) {
        const [series, when, n] = value.split(':');
        if (series !== stepId || !/^\d+$/.test(n ?? '')) continue;
        if (when === 'on-time') onTime += Number(n);
        else if (when === 'late') late += Number(n);
      }
    }
    return { stepId, onTime, late };
  });
}

/**
 * The part of a case the viewer may see: a LADO sees the case's LADO track only — its steps and the LADO's own
 * events in the audit trail — not the child-protection enquiry or the police's investigation.
 */
export function visibleTo(viewer: Viewer, view: CaseView): CaseView {
  if (viewer.role !== 'lado') return view;
  const steps = view.timeline.steps.filter((s) => s.track === 'lado');
  const ids = new Set(steps.map((s) => s.id));
  return {
    status: {
      ...view.status,
      overdue: view.status.overdue.filter((o) => ids.has(o.split('@')[0])),
      waitingFor: view.status.waitingFor.filter((w) => ids.has(w.split('→')[0])),
      extensionRequests: [],
      undelivered: (view.status.undelivered ?? []).filter((u) => ids.has(u.stepId)),
      ...(view.status.nextStep !== undefined && !ids.has(view.status.nextStep.id) ? { nextStep: undefined } : {}),
    },
    timeline: {
      ...view.timeline,
      steps,
      findings: view.timeline.findings.filter((f) => f.stepId !== undefined && ids.has(f.stepId)),
    },
    audit: view.audit.filter(
      (a) => a.event !== undefined && (LADO_EVENTS.includes(a.event.type) || a.event.type === 'lado-referral-sent'),
    ),
  };
}

/** What decides access to a case, from its status. */
export function scopeOf(view: CaseView): CaseScope {
  return {
    teamId: view.status.teamId,
    practitionerId: view.status.practitionerId,
    authority: view.status.authority,
    ladoTrack: view.status.ladoTrack,
  };
}

/** The open steps of listed cases, each placed against today's week. */
export function workItems(rows: readonly OpenCaseRow[], today: IsoDate): WorkItem[] {
  const thisFriday = addDays(today, (5 - weekdayOf(today) + 7) % 7);
  const nextFriday = addDays(thisFriday, 7);
  const items: WorkItem[] = [];
  for (const row of rows) {
    for (const value of row.openStepDues) {
      const step = parseOverdueStepValue(value);
      if (step === undefined) continue;
      const when =
        step.dueDate < today
          ? 'overdue'
          : step.dueDate <= thisFriday
            ? 'this-week'
            : step.dueDate <= nextFriday
              ? 'next-week'
              : 'later';
      items.push({
        caseReference: row.caseReference,
        stepId: step.stepId,
        dueDate: step.dueDate,
        practitionerId: row.assignee ?? '',
        teamId: row.team ?? '',
        when,
      });
    }
  }
  return items.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.caseReference.localeCompare(b.caseReference));
}
