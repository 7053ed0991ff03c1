/**
 * The JSON API's shapes, as zod schemas: the OpenAPI document is generated from them (and from the referral
 * schema every way in shares), so the document cannot drift from what the API accepts and returns.
 */
import { z } from 'zod';
import { CASE_STAGES } from '../../domain/case-process';
import { CaseReferenceSchema, StaffIdSchema, TeamIdSchema } from '../../domain/case';

const date = z.string().meta({ format: 'date' });

/** One step of a case's plan as the API gives it. */
export const ApiStepSchema = z.object({
  id: z.string(),
  title: z.string(),
  track: z.enum(['child-protection', 'lado', 'forensic']),
  status: z.enum(['waiting', 'due', 'overdue', 'done', 'not-required']),
  dueDate: date.optional(),
  waitsFor: z.string().optional().meta({ description: 'the event the step counts from, not recorded yet' }),
  rule: z.string().meta({ description: 'the § or source that sets the deadline' }),
});

/** A case's deadlines. */
export const ApiCaseSchema = z.object({
  caseReference: CaseReferenceSchema,
  stage: z.enum(CASE_STAGES),
  open: z.boolean(),
  authority: z.string(),
  teamId: TeamIdSchema,
  practitionerId: StaffIdSchema,
  today: date,
  steps: z.array(ApiStepSchema),
});

/** One open case in a list. */
export const ApiCaseSummarySchema = z.object({
  caseReference: CaseReferenceSchema,
  teamId: z.string(),
  practitionerId: z.string(),
  openStepDues: z.array(z.string()).meta({ description: 'stepId@YYYY-MM-DD of each open step with a due date' }),
});

/** A page of open cases; `nextCursor` asks for the next one. */
export const ApiCaseListSchema = z.object({
  items: z.array(ApiCaseSummarySchema),
  nextCursor: z.string().optional(),
});

/** What a refused request says: each field and the rule it broke, never the value sent. */
export const ApiErrorSchema = z.object({
  error: z.string(),
  refusals: z
    .array(z.object({ code: z.string(), field: z.string(), rule: z.string(), section: z.string() }))
    .optional(),
});

/** The list query. */
export const ApiListQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 200' })
    .int({ error: 'must be a whole number from 1 to 200' })
    .min(1, { error: 'must be a whole number from 1 to 200' })
    .max(200, { error: 'must be a whole number from 1 to 200' })
    .default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be a cursor from a previous page' })
    .optional(),
});
