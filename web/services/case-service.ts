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
  recordableEvents,
  type Viewer,
} from '../../domain/access';
import { CASE_EVENT_TYPES, type CaseEvent, type CaseEventType } from '../../domain/case';
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

  /** A manager's team view: each practitioner's caseload, overdue steps and steps due this week. */
  async team(viewer: Viewer): Promise<PractitionerLoad[]> {
    const teams = await this.teamsOf(viewer);
    if (teams === undefined) throw new ForbiddenError('team');
    const rows = await readOpenCaseRows(this.options.client, { teams });
    const items = workItems(rows, this.options.today());
    const byPractitioner = new Map<string, PractitionerLoad>();
    for (const row of rows) {
      const key = row.assignee ?? '(none)';
      const mine = items.filter((w) => w.practitionerId === key);
      const load = byPractitioner.get(key);
      byPractitioner.set(key, {
        practitionerId: key,
        teamId: row.team ?? '',
        caseload: (load?.caseload ?? 0) + 1,
        overdue: mine.filter((w) => w.when === 'overdue'),
        dueThisWeek: mine.filter((w) => w.when === 'this-week').length,
      });
    }
    return [...byPractitioner.values()].sort(
      (a, b) => b.overdue.length - a.overdue.length || a.practitionerId.localeCompare(b.practitionerId),
    );
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
      ...view,
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
    const opening = parseCaseOpening(
      { referral: raw, policy: this.options.policy, calendar: caseCalendarData(this.options.today()) },
      this.options.today(),
    );
    if (!opening.ok) throw new CommandRefusedError('(new)', 'referral create', opening.refusals, 'CaseOpeningRefused');
    const { referral } = opening.value;
    if (referral.teamId !== viewer.teamId) throw new ForbiddenError('open-referral');
    if (!practitioners.includes(referral.practitionerId)) {
      const rule = 'must be a practitioner of your team';
      throw new CommandRefusedError('(new)', 'referral create', [
        { code: 'not-in-team', field: 'referral.practitionerId', rule, section: 'case allocation' },
      ]);
    }
    try {
      return await openCase(
        this.options.client,
        { referral, policy: this.options.policy, calendar: caseCalendarData(referral.receivedOn) },
        {
          asOf: this.options.today(),
          ...(this.options.taskQueue === undefined ? {} : { taskQueue: this.options.taskQueue }),
        },
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
