/**
 * The staff and teams a command names must be in the configured staff directory (`CPFLOW_DIRECTORY_FILE`): an id
 * of the right shape that nobody holds is refused before anything is sent, naming the field, never the id. Without
 * a directory file cpflow runs on made-up addresses (a trial), and any well-formed id is taken.
 */
import { UsageError } from './cases/errors';

/** Who and which teams a command names, by field. */
export interface NamedInDirectory {
  readonly staff: readonly (readonly [field: string, staffId: string | undefined])[];
  readonly teams: readonly (readonly [field: string, teamId: string | undefined])[];
}

/** Refuses (UsageError) what the configured directory does not hold; does nothing without a directory file. */
export async function checkInDirectory(named: NamedInDirectory, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env.CPFLOW_DIRECTORY_FILE;
  if (!file) return;
  const { FileStaffDirectory } = await import('../mail/staff-directory');
  const config = await new FileStaffDirectory(file).load();
  const problems = [
    ...named.staff
      .filter(([, id]) => id !== undefined && !Object.hasOwn(config.staff, id) && !Object.hasOwn(config.roles, id))
      .map(([field]) => `${field}: must be a member of staff in the staff directory (CPFLOW_DIRECTORY_FILE)`),
    ...named.teams
      .filter(([, id]) => id !== undefined && !Object.hasOwn(config.teams, id))
      .map(([field]) => `${field}: must be a team in the staff directory (CPFLOW_DIRECTORY_FILE)`),
  ];
  if (problems.length > 0) throw new UsageError(problems.join('; '));
}

/** The staff and team fields of an event (who recorded, authorised, decided, agreed, asked, or takes it over). */
export function namedInEvent(event: Record<string, unknown>): NamedInDirectory {
  const text = (key: string) => (typeof event[key] === 'string' ? (event[key] as string) : undefined);
  return {
    staff: ['recordedBy', 'authorisedBy', 'decidedBy', 'agreedBy', 'requestedBy', 'practitionerId'].map(
      (key) => [`event.${key}`, text(key)] as const,
    ),
    teams: [['event.teamId', text('teamId')] as const],
  };
}
