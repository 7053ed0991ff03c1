/**
 * Pseudonymous identifiers used across cpflow. None of them may carry a name: a case is known by its
 * reference, staff and teams by opaque ids. The patterns are documented so other systems can produce them.
 */
import { z } from 'zod';

/** Case reference: `CP-<year>-<six digits>`, e.g. `CP-2026-000123`. Never a child's or adult's name. */
export const CASE_REFERENCE_PATTERN = /^CP-\d{4}-\d{6}$/;
/**
 * The prefixes of staff ids, one per kind of post: social worker, team manager, service manager, duty worker,
 * LADO, auditor, and `sys` for cpflow itself. A fixed list, so no name can be written as a prefix.
 */
export const STAFF_ID_PREFIXES = ['sw', 'tm', 'sm', 'dw', 'lado', 'au', 'sys'] as const;
/** Staff id: a post prefix ({@link STAFF_ID_PREFIXES}), a hyphen, 3–6 digits, e.g. `sw-0042`, `tm-007`. */
export const STAFF_ID_PATTERN = new RegExp(`^(${STAFF_ID_PREFIXES.join('|')})-\\d{3,6}$`);
/**
 * Team id: `team-`, one word of 2–16 lowercase letters (a place or service), and an optional number of 1–3 digits,
 * e.g. `team-north`, `team-north-2`. A name still fits one word: the directory (an unknown team is refused) is
 * what keeps it out.
 */
export const TEAM_ID_PATTERN = /^team-[a-z]{2,16}(-\d{1,3})?$/;
/** Police reference: force code of 2–3 capitals, 2-digit year, 4–8 digit number, e.g. `BED/24/001234`. */
export const POLICE_REFERENCE_PATTERN = /^[A-Z]{2,3}\/\d{2}\/\d{4,8}$/;

/** A pseudonymous case reference such as `CP-2026-000123`. */
export const CaseReferenceSchema = z
  .string({ error: 'must be a case reference string' })
  .regex(CASE_REFERENCE_PATTERN, { error: 'must be a case reference like CP-2026-000123 (CP-year-six digits)' });

/** A staff member's opaque id such as `sw-0042`. */
export const StaffIdSchema = z.string({ error: 'must be a staff id string' }).regex(STAFF_ID_PATTERN, {
  error: `must be a staff id like sw-0042 (${STAFF_ID_PREFIXES.join(', ')}, hyphen, 3–6 digits)`,
});

/** A team's opaque id such as `team-north`. */
export const TeamIdSchema = z.string({ error: 'must be a team id string' }).regex(TEAM_ID_PATTERN, {
  error: 'must be a team id like team-north or team-north-2 (team-, one lowercase word, an optional number)',
});

/** A police reference such as `BED/24/001234`. */
export const PoliceReferenceSchema = z
  .string({ error: 'must be a police reference string' })
  .regex(POLICE_REFERENCE_PATTERN, { error: 'must be a police reference like BED/24/001234 (force/year/number)' });

/** A pseudonymous case reference. */
export type CaseReference = z.infer<typeof CaseReferenceSchema>;
/** A staff member's opaque id. */
export type StaffId = z.infer<typeof StaffIdSchema>;
/** A team's opaque id. */
export type TeamId = z.infer<typeof TeamIdSchema>;
