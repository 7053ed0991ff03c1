/**
 * Who may see and do what on a case: the roles of the people who use cpflow and the scope of each, decided here
 * once for the pages, the JSON API and the CLI alike. Pure: the signed-in person and the case's owning team,
 * practitioner and authority in, a yes or no out.
 */
import type { CaseEventType } from '../case';

/** The roles of cpflow's users. */
export const STAFF_ROLES = [
  'duty-worker',
  'practitioner',
  'team-manager',
  'service-manager',
  'lado',
  'auditor',
] as const;
/** A role of a cpflow user. */
export type StaffRole = (typeof STAFF_ROLES)[number];

/** How each role is named to people. */
export const ROLE_NAMES: Readonly<Record<StaffRole, string>> = {
  'duty-worker': 'Duty worker',
  practitioner: 'Practitioner',
  'team-manager': 'Team manager',
  'service-manager': 'Service manager',
  lado: 'LADO',
  auditor: 'Auditor (read only)',
};

/** A signed-in person: their staff id, role and where the role applies. */
export interface Viewer {
  readonly staffId: string;
  readonly role: StaffRole;
  /** The team of a duty worker, practitioner or team manager. */
  readonly teamId?: string;
  /** The authority of a service manager or LADO (and of anyone's team). */
  readonly authority?: string;
}

/** What decides access to one case. */
export interface CaseScope {
  readonly teamId: string;
  readonly practitionerId: string;
  readonly authority: string;
  /** The case has a LADO track (§2.6, §2.18). */
  readonly ladoTrack: boolean;
}

/** What the pages and API let people do. */
export type CaseAction = 'read' | 'record-event' | 'open-referral';

/** Events only a manager records: they change the plan or the case's ownership. */
export const MANAGER_EVENTS: readonly CaseEventType[] = [
  'step-not-required',
  'practitioner-reassigned',
  'case-closed',
  'icpc-convened',
];

/** The LADO's own events. */
export const LADO_EVENTS: readonly CaseEventType[] = [
  'lado-referral-acknowledged',
  'lado-strategy-meeting',
  'lado-review-meeting',
  'lado-outcome',
];

/** Whether the viewer may read the case. */
export function canReadCase(viewer: Viewer, scope: CaseScope): boolean {
  switch (viewer.role) {
    case 'practitioner':
      return scope.practitionerId === viewer.staffId;
    case 'duty-worker':
    case 'team-manager':
      return scope.teamId === viewer.teamId;
    case 'service-manager':
      return scope.authority === viewer.authority;
    case 'lado':
      return scope.ladoTrack && scope.authority === viewer.authority;
    case 'auditor':
      return true;
  }
}

/**
 * Events never recorded through a form: an extension is asked for by one person and agreed by a manager who is
 * someone else (`requestExtension`, `agreeExtension`), and cpflow records the LADO referral it sends itself.
 */
export const NOT_BY_FORM: readonly CaseEventType[] = ['deadline-extended', 'extension-requested'];

/** The event types the viewer may record on the case with a form (empty: none). */
export function recordableEvents(viewer: Viewer, scope: CaseScope, all: readonly CaseEventType[]): CaseEventType[] {
  if (!canReadCase(viewer, scope)) return [];
  const byForm = all.filter((t) => !NOT_BY_FORM.includes(t));
  switch (viewer.role) {
    case 'practitioner':
      return byForm.filter((t) => !MANAGER_EVENTS.includes(t) && !LADO_EVENTS.includes(t));
    case 'team-manager':
    case 'service-manager':
      return byForm.filter((t) => !LADO_EVENTS.includes(t));
    case 'lado':
      return byForm.filter((t) => LADO_EVENTS.includes(t));
    case 'duty-worker':
    case 'auditor':
      return [];
  }
}

/** Whether the viewer may open a referral for `teamId`. */
export function canOpenReferral(viewer: Viewer, teamId: string): boolean {
  return (viewer.role === 'duty-worker' || viewer.role === 'team-manager') && viewer.teamId === teamId;
}

/** Whether the viewer manages people: sees a team view and agrees extensions. */
export function isManager(viewer: Viewer): boolean {
  return viewer.role === 'team-manager' || viewer.role === 'service-manager';
}

/** Whether the viewer may ask for an extension on the case: its practitioner or a manager of it. */
export function canRequestExtension(viewer: Viewer, scope: CaseScope): boolean {
  return canReadCase(viewer, scope) && (viewer.role === 'practitioner' || isManager(viewer));
}

/** Whether the viewer may agree an extension `requestedBy` asked for: a manager of the case, not the asker. */
export function canAgreeExtension(viewer: Viewer, scope: CaseScope, requestedBy: string): boolean {
  return isManager(viewer) && canReadCase(viewer, scope) && viewer.staffId !== requestedBy;
}

/**
 * Whether the viewer may read workflow histories in the Temporal Web UI (through the codec endpoint). The UI shows
 * every case of the namespace and the codec cannot tell which case a payload belongs to, so only people who may
 * read every case there may: an auditor, or a service manager when the namespace serves only their authority.
 */
export function canReadHistories(viewer: Viewer, namespaceAuthorities: readonly string[]): boolean {
  if (viewer.role === 'auditor') return true;
  return (
    viewer.role === 'service-manager' &&
    namespaceAuthorities.length === 1 &&
    namespaceAuthorities[0] === viewer.authority
  );
}
