/**
 * Pseudonymous identifiers used across cpflow. None of them may carry a name: a case is known by its
 * reference, staff and teams by opaque ids. The patterns are documented so other systems can produce them.
 */
import { z } from 'zod';

/** Case reference: `CP-<year>-<six digits>`, e.g. `CP-2026-000123`. Never a child's or adult's name. */
export const CASE_REFERENCE_PATTERN = /^CP-\d{4}-\d{6}$/;
/** Staff id: 2–4 lowercase letters, a hyphen, 3–6 digits, e.g. `sw-0042`, `tm-007`. Never a name. */
export const STAFF_ID_PATTERN = /^[a-z]{2,4}-\d{3,6}$/;
/** Team id: `team-` then 2–30 lowercase letters, digits or hyphens, e.g. `team-north-2`. */
export const TEAM_ID_PATTERN = /^team-[a-z0-9-]{2,30}$/;
/** Police reference: 3–30 uppercase letters, digits, `/` or `-`, e.g. `BED/24/001234`. */
export const POLICE_REFERENCE_PATTERN = /^[A-Z0-9/-]{3,30}$/;

/** A pseudonymous case reference such as `CP-2026-000123`. */
export const CaseReferenceSchema = z
  .string({ error: 'must be a case reference string' })
  .regex(CASE_REFERENCE_PATTERN, { error: 'must be a case reference like CP-2026-000123 (CP-year-six digits)' });

/** A staff member's opaque id such as `sw-0042`. */
export const StaffIdSchema = z
  .string({ error: 'must be a staff id string' })
  .regex(STAFF_ID_PATTERN, { error: 'must be a staff id like sw-0042 (2–4 lowercase letters, hyphen, 3–6 digits)' });

/** A team's opaque id such as `team-north`. */
export const TeamIdSchema = z.string({ error: 'must be a team id string' }).regex(TEAM_ID_PATTERN, {
  error: 'must be a team id like team-north (team- then lowercase letters, digits, hyphens)',
});

/** A police reference such as `BED/24/001234`. */
export const PoliceReferenceSchema = z
  .string({ error: 'must be a police reference string' })
  .regex(POLICE_REFERENCE_PATTERN, { error: 'must be 3–30 uppercase letters, digits, / or -' });

/** A pseudonymous case reference. */
export type CaseReference = z.infer<typeof CaseReferenceSchema>;
/** A staff member's opaque id. */
export type StaffId = z.infer<typeof StaffIdSchema>;
/** A team's opaque id. */
export type TeamId = z.infer<typeof TeamIdSchema>;
