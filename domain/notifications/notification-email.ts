/**
 * The content of cpflow's notification emails (reminders, due-today notices, overdue notices, escalations
 * to managers, LADO referral prompts). Pure: no I/O, no clock; imported by activities and tests.
 *
 * Children's data rule: an email names only the pseudonymous case reference, the procedure step, its due date,
 * the recipient's role and where to look. The input schema is strict, so there is not even a field for a name,
 * an address, a date of birth or anything about the allegation; unknown fields are rejected.
 */
import { z } from 'zod';
import { CaseReferenceSchema, StepIdSchema } from '../case';
import { InvalidNotificationError } from './errors';

/** Why a notification is sent. */
export const NOTIFICATION_KINDS = [
  /** A step is coming due (sent a policy-defined number of working days before). */
  'reminder',
  /** A step is due today. */
  'due-today',
  /** A step has passed its due date (to the assigned practitioner). */
  'overdue',
  /** A step has passed its due date and is escalated to a manager. */
  'overdue-escalation',
  /** The case needs a referral to the Local Authority Designated Officer. */
  'lado-referral',
  /** The case is allocated (or handed over) to the recipient: its first deadlines. */
  'allocation',
  /** §2.6: a strategy discussion found a child at immediate risk of significant harm — act the same day. */
  'immediate-risk',
  /** An email about the step could not be delivered (recipient missing from the directory, address refused). */
  'delivery-failed',
] as const;
/** Why a notification is sent. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The role in which the recipient receives the notification. */
export const RECIPIENT_ROLES = ['practitioner', 'team-manager', 'service-manager', 'lado'] as const;
/** The role in which the recipient receives the notification. */
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in the form YYYY-MM-DD')
  .refine((value) => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
  }, 'must be a real calendar date');

// The case's own identifier rules (domain/case): an email names nothing a case could not.
const stepId = StepIdSchema;
const stepTitle = z
  .string()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .regex(/^[^\r\n\t@]+$/, 'must be a single line of text without "@"');

/** Schema of {@link NotificationEmailInput}; strict, so extra (possibly personal) fields are refused. */
export const NotificationEmailInputSchema = z.strictObject({
  caseReference: CaseReferenceSchema,
  stepId,
  stepTitle,
  dueDate: isoDate,
  kind: z.enum(NOTIFICATION_KINDS, { message: `must be one of ${NOTIFICATION_KINDS.join(', ')}` }),
  recipientRole: z.enum(RECIPIENT_ROLES, { message: `must be one of ${RECIPIENT_ROLES.join(', ')}` }),
  caseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  /** An allocation's first deadlines (steps and dates only). */
  deadlines: z
    .array(z.strictObject({ stepId, stepTitle, dueDate: isoDate }))
    .max(10, 'must list at most 10 deadlines')
    .optional(),
});

/** Everything a notification email may say. There is deliberately no field for personal data. */
export type NotificationEmailInput = z.infer<typeof NotificationEmailInputSchema>;

/** A rendered notification email: subject line and plain-text body. */
export interface NotificationEmail {
  readonly subject: string;
  readonly text: string;
}

const longDate = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Formats an ISO date as e.g. "Tuesday, 3 March 2026". */
export function formatDueDate(isoDate: string): string {
  return longDate.format(new Date(`${isoDate}T00:00:00Z`));
}

const ROLE_LINES: Record<RecipientRole, string> = {
  practitioner: 'You receive this as the practitioner assigned to the case.',
  'team-manager': "You receive this as the manager of the case's team.",
  'service-manager': 'You receive this as the service manager.',
  lado: 'You receive this as the Local Authority Designated Officer (LADO).',
};

/**
 * Renders the subject and plain-text body of a notification email.
 * Throws {@link InvalidNotificationError} naming each bad field and its rule.
 */
export function renderNotificationEmail(input: NotificationEmailInput): NotificationEmail {
  const parsed = NotificationEmailInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidNotificationError(
      parsed.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          // Counted, not named: whatever was added could be personal data.
          return `${issue.keys.length} field(s) not allowed in a notification (only case reference, step, due date, kind, role and case URL)`;
        }
        return `${issue.path.join('.') || 'input'}: ${issue.message}`;
      }),
    );
  }
  const { caseReference, stepId, stepTitle, dueDate, kind, recipientRole, caseUrl, deadlines } = parsed.data;
  const due = `${formatDueDate(dueDate)} (${dueDate})`;
  const { subject, action } = kindWording(kind, stepTitle, caseReference, formatDueDate(dueDate));
  const what =
    deadlines === undefined || deadlines.length === 0
      ? [`Step:           ${stepTitle} [${stepId}]`, `Due:            ${due}`]
      : [
          'First deadlines:',
          ...deadlines.map((d) => `  ${formatDueDate(d.dueDate)} (${d.dueDate})  ${d.stepTitle} [${d.stepId}]`),
        ];
  const text = [
    action,
    '',
    `Case reference: ${caseReference}`,
    ...what,
    '',
    `Where to look:  ${caseUrl}`,
    '',
    ROLE_LINES[recipientRole],
    'This message deliberately contains no personal details; open the case record to see them.',
    '',
    '-- ',
    'cpflow: automated child-protection procedure notification. Please do not reply.',
    '',
  ].join('\n');
  return { subject: `[cpflow] ${subject}`, text };
}

function kindWording(
  kind: NotificationKind,
  stepTitle: string,
  caseReference: string,
  dueDate: string,
): { subject: string; action: string } {
  switch (kind) {
    case 'reminder':
      return {
        subject: `Reminder: ${stepTitle} due ${dueDate} (case ${caseReference})`,
        action: 'Reminder: the step below is coming due.',
      };
    case 'due-today':
      return {
        subject: `Due today: ${stepTitle} (case ${caseReference})`,
        action: 'The step below is due today.',
      };
    case 'overdue':
      return {
        subject: `Overdue: ${stepTitle} was due ${dueDate} (case ${caseReference})`,
        action: 'The step below has passed its due date and is not yet recorded as done.',
      };
    case 'overdue-escalation':
      return {
        subject: `Escalation: ${stepTitle} overdue since ${dueDate} (case ${caseReference})`,
        action: 'Escalation: the step below is overdue. Please check with the assigned practitioner.',
      };
    case 'lado-referral':
      return {
        subject: `LADO referral needed by ${dueDate} (case ${caseReference})`,
        action: 'A referral to the Local Authority Designated Officer (LADO) is needed for this case.',
      };
    case 'immediate-risk':
      return {
        subject: `Urgent: child at immediate risk recorded today (case ${caseReference})`,
        action:
          'Urgent (§2.6): the strategy discussion below recorded a child at immediate risk of significant harm. Act today.',
      };
    case 'delivery-failed':
      return {
        subject: `Email not delivered: ${stepTitle} (case ${caseReference})`,
        action:
          'An email about the step below could not be delivered: its recipient is missing from the staff directory ' +
          'or the mail server refused the address. The case page says which. Once the directory is fixed, cpflow ' +
          'sends it again on the next working day.',
      };
    case 'allocation':
      return {
        subject: `Case ${caseReference} allocated: first deadline ${dueDate}`,
        action: 'This case has been allocated to you (or to your team). Its first deadlines are below.',
      };
  }
}
