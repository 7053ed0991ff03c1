/**
 * Named errors of cpflow's case commands. Messages carry the pseudonymous case reference and procedural
 * words only, never a child's data.
 */
import { describeRefusals, type Refusal } from '../../domain/rules';

/** `referral create` for a case reference that already has a workflow (running or closed). */
export class CaseAlreadyExistsError extends Error {
  override readonly name = 'CaseAlreadyExistsError';
  constructor(readonly caseReference: string) {
    super(
      `case ${caseReference} already exists: a case reference can be used once (see \`cpflow case show ${caseReference}\`)`,
    );
  }
}

/** No case workflow has this reference. */
export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseReference: string) {
    super(`no case ${caseReference}: no case workflow has that reference (create it with \`cpflow referral create\`)`);
  }
}

/** The case is closed (its workflow has completed): it accepts no more commands. */
export class CaseNotRunningError extends Error {
  override readonly name = 'CaseNotRunningError';
  constructor(readonly caseReference: string) {
    super(`case ${caseReference} is closed: it accepts no more commands`);
  }
}

/** The case refused a command: each refusal names the field, the rule and its source. Nothing changed. */
export class CommandRefusedError extends Error {
  override readonly name = 'CommandRefusedError';
  /** The refusals in words: `field: rule (source)`, joined. */
  readonly why: string;

  constructor(
    readonly caseReference: string,
    readonly command: string,
    readonly refusals: readonly Refusal[],
    /** The workflow's failure type, normally `CommandRefused`. */
    readonly failureType = 'CommandRefused',
  ) {
    const why = describeRefusals(refusals);
    super(`case ${caseReference}: ${command} refused (${failureType}): ${why} (nothing was changed)`);
    this.why = why;
  }
}

/** No worker answered in time (the worker of `npm start` is not running?). */
export class NoWorkerAnsweredError extends Error {
  override readonly name = 'NoWorkerAnsweredError';
  /**
   * @param opened the case was started just before (referral create): it exists and will run once a worker does
   */
  constructor(
    caseReference: string,
    what: string,
    readonly seconds: number,
    opened = false,
  ) {
    super(
      `case ${caseReference}${opened ? ' was opened, but' : ':'} no cpflow worker answered the ${what} within ${seconds} s; ` +
        'is `npm start` running?',
    );
  }
}

/** Command-line arguments that contradict each other (e.g. `--all-open` and case references). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command applied to several cases failed for some of them (each is reported in the output). */
export class PartialFailureError extends Error {
  override readonly name = 'PartialFailureError';
}
