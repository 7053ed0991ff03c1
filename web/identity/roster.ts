/**
 * Who may sign in and as what: the `roles` of the staff directory file (the same file that gives addresses to
 * emails). Re-read at each sign-in and page, so a change of role takes effect without a restart.
 */
import type { Viewer } from '../../domain/access';
import { FileStaffDirectory, parseStaffDirectoryConfig } from '../../mail/staff-directory';

type DirectoryConfig = ReturnType<typeof parseStaffDirectoryConfig>;

/** The people who may sign in, with their roles. */
export interface Roster {
  /** The signed-in person's role and scope; undefined when they have no role (signed in, but no access). */
  viewerOf(staffId: string): Promise<Viewer | undefined>;
  /** Staff ids with a role. */
  staffIds(): Promise<ReadonlySet<string>>;
  /** The teams of an authority (a service manager's scope). */
  teamsOf(authority: string): Promise<string[]>;
  /** The practitioners of a team, by staff id. */
  practitionersOf(teamId: string): Promise<string[]>;
}

/** A roster read from a validated directory configuration. */
function rosterOf(load: () => Promise<DirectoryConfig>): Roster {
  return {
    async viewerOf(staffId) {
      const config = await load();
      const entry = config.roles[staffId];
      if (entry === undefined) return undefined;
      const authority = entry.authority ?? (entry.team === undefined ? undefined : config.teams[entry.team]?.authority);
      return {
        staffId,
        role: entry.role,
        ...(entry.team === undefined ? {} : { teamId: entry.team }),
        ...(authority === undefined ? {} : { authority }),
      };
    },
    async staffIds() {
      return new Set(Object.keys((await load()).roles));
    },
    async practitionersOf(teamId) {
      const config = await load();
      return Object.entries(config.roles)
        .filter(([, entry]) => entry.role === 'practitioner' && entry.team === teamId)
        .map(([id]) => id)
        .sort();
    },
    async teamsOf(authority) {
      const config = await load();
      return Object.entries(config.teams)
        .filter(([, team]) => team.authority === authority)
        .map(([id]) => id)
        .sort();
    },
  };
}

/** The roster of a directory file. */
export function fileRoster(file: string): Roster {
  const directory = new FileStaffDirectory(file);
  return rosterOf(() => directory.load());
}

/** A roster from a directory configuration held in memory (validated here). */
export function memoryRoster(config: unknown): Roster {
  const parsed = parseStaffDirectoryConfig(config);
  return rosterOf(() => Promise.resolve(parsed));
}
