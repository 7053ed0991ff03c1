/**
 * Commander option parsers shared by cpflow's case commands: each turns a raw argument into a checked value
 * or throws commander's InvalidArgumentError naming the option and the rule.
 */
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { type IsoDate, parseIsoDate, ukDateOf } from '../domain/calendar';
import { CaseReferenceSchema, StaffIdSchema, StepIdSchema, TeamIdSchema } from '../domain/case';

/** A parser for a 'YYYY-MM-DD' argument, naming `label` (e.g. `--date`) on error. */
export function dateArgument(label: string): (value: string) => IsoDate {
  return (value) => {
    try {
      return parseIsoDate(value, label);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/** A parser checking an argument against a zod string schema, naming `label` and the schema's rule. */
function schemaArgument(schema: z.ZodType<string>, label: string): (value: string) => string {
  return (value) => {
    const result = schema.safeParse(value);
    if (!result.success)
      throw new InvalidArgumentError(`${label}: ${result.error.issues[0]?.message ?? 'is not valid'}`);
    return result.data;
  };
}

/** A parser for a case reference (`CP-2026-000123`). */
export function caseReferenceArgument(label: string): (value: string) => string {
  return schemaArgument(CaseReferenceSchema, label);
}

/** A parser for a staff id (`sw-0042`). */
export function staffIdArgument(label: string): (value: string) => string {
  return schemaArgument(StaffIdSchema, label);
}

/** A parser for a team id (`team-north`). */
export function teamIdArgument(label: string): (value: string) => string {
  return schemaArgument(TeamIdSchema, label);
}

/** A parser for a step id (`icpc`, `visit-3`). */
export function stepIdArgument(label: string): (value: string) => string {
  return schemaArgument(StepIdSchema, label);
}

/** A parser for one of a closed list of values (reasons), listing them on error. */
export function oneOfArgument<const T extends readonly string[]>(
  values: T,
  label: string,
): (value: string) => T[number] {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${label}: must be one of: ${values.join(', ')}`);
    }
    return value;
  };
}

/** Today's date in England (the default for "today" in the CLI). */
export function todayInEngland(now: Date = new Date()): IsoDate {
  return dateInEngland(now);
}

/** The calendar date in England (Europe/London) of an instant. */
export function dateInEngland(instant: Date): IsoDate {
  return ukDateOf(instant.getTime());
}
