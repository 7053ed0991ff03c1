/**
 * Recipient references: how workflow code names who a notification goes to, without knowing any address.
 * A staff directory (mail/staff-directory.ts) resolves them to email addresses at send time.
 *
 * Forms: `practitioner:<staffId>`, `team-manager:<teamId>`, `service-manager:<staffId>` and `lado:<staffId>` (the
 * service manager and LADO the policy names for the case's authority), or bare `service-manager` and `lado`
 * (the directory's own, for a policy naming none).
 */
import { STAFF_ID_PATTERN, TEAM_ID_PATTERN } from '../case';
import type { RecipientRole } from './notification-email';

/** A recipient reference string, e.g. `practitioner:sw-0042` or `team-manager:team-north`. */
export type RecipientRef =
  | `practitioner:${string}`
  | `team-manager:${string}`
  | `service-manager:${string}`
  | `lado:${string}`
  | 'service-manager'
  | 'lado';

/** A parsed recipient reference. */
export type ParsedRecipient =
  | { readonly role: 'practitioner'; readonly staffId: string }
  | { readonly role: 'team-manager'; readonly teamId: string }
  | { readonly role: 'service-manager'; readonly staffId?: string }
  | { readonly role: 'lado'; readonly staffId?: string };

/** Thrown when a recipient reference is not one of the known forms. */
export class InvalidRecipientRefError extends Error {
  override readonly name = 'InvalidRecipientRefError';
}

/** Recipient reference for the practitioner with this staff id. */
export function practitionerRecipient(staffId: string): RecipientRef {
  return checked(`practitioner:${staffId}`);
}

/** Recipient reference for the manager of this team. */
export function teamManagerRecipient(teamId: string): RecipientRef {
  return checked(`team-manager:${teamId}`);
}

function checked(ref: string): RecipientRef {
  parseRecipientRef(ref);
  return ref as RecipientRef;
}

/** Parses a recipient reference; throws {@link InvalidRecipientRefError} naming the rule. */
export function parseRecipientRef(ref: string): ParsedRecipient {
  if (ref === 'service-manager' || ref === 'lado') return { role: ref };
  const match = /^(practitioner|team-manager|service-manager|lado):(.*)$/.exec(ref);
  if (!match) {
    throw new InvalidRecipientRefError(
      'recipient: must be practitioner:<staffId>, team-manager:<teamId>, service-manager[:<staffId>] or lado[:<staffId>]',
    );
  }
  const [, role, id] = match;
  if (!(role === 'team-manager' ? TEAM_ID_PATTERN : STAFF_ID_PATTERN).test(id)) {
    throw new InvalidRecipientRefError(
      role === 'team-manager'
        ? 'recipient: the team id must be like team-north (team- then lowercase letters, digits, hyphens)'
        : 'recipient: the staff id must be like sw-0042 (2–4 lowercase letters, hyphen, 3–6 digits)',
    );
  }
  if (role === 'team-manager') return { role, teamId: id };
  return { role: role as 'practitioner' | 'service-manager' | 'lado', staffId: id };
}

/** The role in which a recipient reference receives notifications. */
export function roleOfRecipient(ref: string): RecipientRole {
  return parseRecipientRef(ref).role;
}
