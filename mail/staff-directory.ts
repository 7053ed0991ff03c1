/**
 * The staff directory: resolves recipient references (`practitioner:sw-0042`, `team-manager:team-north`,
 * `service-manager`, `lado`) to email addresses. Workflows only ever hold the references.
 *
 * File format (JSON; path from `CPFLOW_DIRECTORY_FILE`):
 * ```json
 * {
 *   "staff": { "sw-0042": "sw42@council.example", "tm-007": "tm7@council.example", "sm-0101": "sm@council.example" },
 *   "teams": { "team-north": { "manager": "tm-007", "authority": "bedford-borough" } },
 *   "roles": { "sw-0042": { "role": "practitioner", "team": "team-north" }, "tm-007": { "role": "team-manager", "team": "team-north" },
 *              "sm-0101": { "role": "service-manager", "authority": "bedford-borough" } },
 *   "serviceManager": "sm-0101",
 *   "lado": "lado@council.example"
 * }
 * ```
 * `roles` says who may sign in to the web service and as what (the identity provider vouches for who they are;
 * the directory, kept by the authority, for what they do); a team's `authority` scopes its people's cases.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { STAFF_ROLES } from '../domain/access';
import { StaffIdSchema, TeamIdSchema } from '../domain/case';
import { parseRecipientRef, type RecipientRole } from '../domain/notifications';
import { StaffDirectoryError, UnknownRecipientError } from './errors';

/** Where a notification for a recipient reference goes. */
export interface ResolvedRecipient {
  readonly address: string;
  readonly role: RecipientRole;
}

/** Resolves recipient references to email addresses. */
export interface StaffDirectory {
  /** Resolves a reference; throws {@link UnknownRecipientError} when it does not resolve. */
  resolve(recipient: string): Promise<ResolvedRecipient>;
}

const staffId = StaffIdSchema;
const authorityId = z
  .string({ error: 'must be an authority id string' })
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be an authority id like luton or bedford-borough' });

/** What a person does, as the web service's sign-in trusts it. */
const StaffRoleEntrySchema = z
  .strictObject({
    role: z.enum(STAFF_ROLES, { error: `must be one of ${STAFF_ROLES.join(', ')}` }),
    team: TeamIdSchema.optional(),
    authority: authorityId.optional(),
  })
  .superRefine((entry, ctx) => {
    const teamRole = entry.role === 'duty-worker' || entry.role === 'practitioner' || entry.role === 'team-manager';
    if (teamRole && entry.team === undefined) {
      ctx.addIssue({ code: 'custom', path: ['team'], message: `is required for the ${entry.role} role` });
    }
    if ((entry.role === 'service-manager' || entry.role === 'lado') && entry.authority === undefined) {
      ctx.addIssue({ code: 'custom', path: ['authority'], message: `is required for the ${entry.role} role` });
    }
  });

/** Schema of the directory file. */
export const StaffDirectoryConfigSchema = z.strictObject({
  staff: z.record(staffId, z.email({ message: 'must be an email address' })),
  teams: z.record(TeamIdSchema, z.strictObject({ manager: staffId, authority: authorityId.optional() })).default({}),
  roles: z.record(staffId, StaffRoleEntrySchema).default({}),
  serviceManager: staffId.optional(),
  lado: z.email({ message: 'must be an email address' }).optional(),
});
/** Contents of a directory file. */
export type StaffDirectoryConfig = z.input<typeof StaffDirectoryConfigSchema>;

/** Validates a directory configuration; throws {@link StaffDirectoryError} naming each bad field. */
export function parseStaffDirectoryConfig(
  value: unknown,
  source = 'directory',
): z.output<typeof StaffDirectoryConfigSchema> {
  const parsed = StaffDirectoryConfigSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new StaffDirectoryError(`${source}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Resolves a reference against a validated configuration. */
function resolveIn(config: z.output<typeof StaffDirectoryConfigSchema>, recipient: string): ResolvedRecipient {
  const parsed = parseRecipientRef(recipient);
  const staffAddress = (id: string | undefined, what: string): string => {
    const address = id === undefined ? undefined : config.staff[id];
    if (address === undefined) {
      throw new UnknownRecipientError(recipient, `${what} has no email address in the staff directory`);
    }
    return address;
  };
  switch (parsed.role) {
    case 'practitioner':
      return { role: parsed.role, address: staffAddress(parsed.staffId, `staff id ${parsed.staffId}`) };
    case 'team-manager': {
      const team = config.teams[parsed.teamId];
      if (!team) throw new UnknownRecipientError(recipient, `team ${parsed.teamId} is not in the staff directory`);
      return { role: parsed.role, address: staffAddress(team.manager, `manager ${team.manager}`) };
    }
    case 'service-manager': {
      const what = parsed.staffId === undefined ? 'the service manager' : `service manager ${parsed.staffId}`;
      return { role: parsed.role, address: staffAddress(parsed.staffId ?? config.serviceManager, what) };
    }
    case 'lado':
      if (parsed.staffId !== undefined) {
        return { role: parsed.role, address: staffAddress(parsed.staffId, `LADO ${parsed.staffId}`) };
      }
      if (config.lado === undefined)
        throw new UnknownRecipientError(recipient, 'no LADO address in the staff directory');
      return { role: parsed.role, address: config.lado };
  }
}

/** A directory held in memory (tests, embedding). */
export class InMemoryStaffDirectory implements StaffDirectory {
  private readonly config: z.output<typeof StaffDirectoryConfigSchema>;

  constructor(config: StaffDirectoryConfig) {
    this.config = parseStaffDirectoryConfig(config);
  }

  /** Resolves a reference to an address. */
  resolve(recipient: string): Promise<ResolvedRecipient> {
    return Promise.resolve().then(() => resolveIn(this.config, recipient));
  }
}

/**
 * A directory read from a JSON file. The file is re-read on each lookup, so fixing it lets a retried
 * notification through without restarting the worker.
 */
export class FileStaffDirectory implements StaffDirectory {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** Reads and validates the file; throws {@link StaffDirectoryError} naming the file and the problem. */
  async load(): Promise<z.output<typeof StaffDirectoryConfigSchema>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      throw new StaffDirectoryError(
        `${this.file}: cannot read staff directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new StaffDirectoryError(`${this.file}: not valid JSON`);
    }
    return parseStaffDirectoryConfig(json, this.file);
  }

  /** Resolves a reference to an address using the file's current contents. */
  async resolve(recipient: string): Promise<ResolvedRecipient> {
    return resolveIn(await this.load(), recipient);
  }
}

/**
 * A directory for local trials with the SMTP sink: every reference resolves to a made-up address such as
 * `practitioner.sw-0042@cpflow.test`, so reminders arrive in the local mailbox without any configuration.
 */
export class SyntheticStaffDirectory implements StaffDirectory {
  /** Resolves a reference to a synthetic `@cpflow.test` address. */
  resolve(recipient: string): Promise<ResolvedRecipient> {
    return Promise.resolve().then(() => {
      const parsed = parseRecipientRef(recipient);
      const local =
        parsed.role === 'team-manager'
          ? `team-manager.${parsed.teamId}`
          : parsed.staffId === undefined
            ? parsed.role
            : `${parsed.role}.${parsed.staffId}`;
      return { role: parsed.role, address: `${local}@cpflow.test` };
    });
  }
}
