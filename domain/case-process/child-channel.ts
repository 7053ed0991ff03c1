/**
 * The channel between a case and its children (the LADO referral, the forensic wait). Temporal lets any client of
 * the namespace signal any workflow, so a message is taken in only when it carries the channel key the case gave
 * its children when it started them, and only in the shape the other side sends: anything else — a forged "case
 * closed" to a child, free text pushed into a case's log — is dropped. The key travels only inside workflow inputs,
 * which the payload codec encrypts, so whoever can read it could do anything to the case anyway.
 */
import { z } from 'zod';
import { type CalendarData, sharedCalendar } from '../calendar';
import { type CaseEvent, CaseEventSchema, IsoDateSchema, StepIdSchema } from '../case';
import type { Timeline } from '../planner';
import { CASE_LOG_KINDS, type ChildKind, type ChildReport } from './types';

/** A channel key: a version-4 UUID, made by the case with the workflow's replay-safe random source. */
export const CHANNEL_KEY_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether a value is a well-formed channel key. */
export function isChannelKey(value: unknown): value is string {
  return typeof value === 'string' && CHANNEL_KEY_PATTERN.test(value);
}

/** What the case tells a running child: an event, the whole corrected list, or a new calendar. */
export type CaseMessage =
  | { readonly kind: 'event'; readonly event: CaseEvent }
  | { readonly kind: 'events'; readonly events: readonly CaseEvent[] }
  | { readonly kind: 'calendar'; readonly calendar: CalendarData; readonly frozen?: Timeline };

/** The signal envelope of a message from the case to a child. */
export interface CaseMessageEnvelope {
  readonly channel: string;
  readonly message: CaseMessage;
}

/** The signal envelope of a report from a child to its case. */
export interface ChildReportEnvelope {
  readonly channel: string;
  readonly report: ChildReport;
}

/** A case has at most this many events a child follows; a list longer than that was not sent by a case. */
const MAX_FORWARDED_EVENTS = 2_000;
/** A report's detail is a line cpflow writes from codes, dates and references; never a paragraph. */
const MAX_REPORT_DETAIL = 500;

const CaseMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('event'), event: CaseEventSchema }),
  z.strictObject({ kind: z.literal('events'), events: z.array(CaseEventSchema).max(MAX_FORWARDED_EVENTS) }),
  z.strictObject({
    kind: z.literal('calendar'),
    calendar: z.unknown(),
    // The due dates as they stood: the case's own planner output, taken whole once the key has been checked.
    frozen: z.looseObject({ steps: z.array(z.unknown()) }).optional(),
  }),
]);

const ChildReportSchema = z.strictObject({
  from: z.enum(['lado', 'forensic']),
  at: z.iso.datetime(),
  kind: z.enum(CASE_LOG_KINDS),
  stepId: StepIdSchema.optional(),
  detail: z
    .string()
    .max(MAX_REPORT_DETAIL)
    .regex(/^[^\x00-\x1f\x7f]*$/),
  ladoReferralSentOn: IsoDateSchema.optional(),
  finished: z.boolean().optional(),
});

/**
 * The message in a signal to a child, if it carries the child's channel key and has the shape a case sends;
 * otherwise undefined (the signal is dropped, the child unchanged).
 */
export function acceptCaseMessage(raw: unknown, channel: string): CaseMessage | undefined {
  if (!hasChannel(raw, channel)) return undefined;
  const parsed = CaseMessageSchema.safeParse((raw as { message?: unknown }).message);
  if (!parsed.success) return undefined;
  const message = parsed.data;
  if (message.kind !== 'calendar') return message as CaseMessage;
  try {
    sharedCalendar(message.calendar as CalendarData);
  } catch {
    return undefined;
  }
  return {
    kind: 'calendar',
    calendar: message.calendar as CalendarData,
    ...(message.frozen === undefined ? {} : { frozen: message.frozen as unknown as Timeline }),
  };
}

/**
 * The report in a signal to a case, if it carries the case's channel key, comes from a child the case has and has
 * the shape a child sends; otherwise undefined (dropped, the case unchanged).
 */
export function acceptChildReport(
  raw: unknown,
  channel: string,
  children: Readonly<Record<ChildKind, string>>,
): ChildReport | undefined {
  if (!hasChannel(raw, channel)) return undefined;
  const parsed = ChildReportSchema.safeParse((raw as { report?: unknown }).report);
  if (!parsed.success || children[parsed.data.from] === 'not-started') return undefined;
  return parsed.data as ChildReport;
}

function hasChannel(raw: unknown, channel: string): boolean {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    isChannelKey(channel) &&
    (raw as { channel?: unknown }).channel === channel
  );
}
