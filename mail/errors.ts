/** Named errors of cpflow's mail layer (SMTP settings, staff directory, mailbox). */

/** An SMTP environment variable is missing or malformed; the message names each variable and the rule. */
export class SmtpSettingsError extends Error {
  override readonly name = 'SmtpSettingsError';
  /** One `VARIABLE: rule` line per problem. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid SMTP settings: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** The staff directory file is unreadable or malformed. */
export class StaffDirectoryError extends Error {
  override readonly name = 'StaffDirectoryError';
}

/** A recipient reference (e.g. `practitioner:sw-0042`) does not resolve to an email address. */
export class UnknownRecipientError extends Error {
  override readonly name = 'UnknownRecipientError';
  /** The reference that did not resolve (a staff id or role, never an address). */
  readonly recipient: string;

  constructor(recipient: string, rule: string) {
    super(`recipient ${recipient}: ${rule}`);
    this.recipient = recipient;
  }
}

/** A mailbox message id does not exist. */
export class MessageNotFoundError extends Error {
  override readonly name = 'MessageNotFoundError';
}
