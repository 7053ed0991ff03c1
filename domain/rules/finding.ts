/**
 * What a rule reports: the § it implements, a stable code, how serious it is and a plain-words message that
 * never contains personal data.
 */
import type { IsoDate } from '../calendar';

/** How a finding should be treated: a breach of the procedure, a warning, or an action now due. */
export type FindingSeverity = 'breach' | 'warning' | 'action';

/** One finding of a procedure rule. */
export interface RuleFinding {
  /** The § of the guidelines (or census rule) the finding comes from, e.g. '§2.10'. */
  readonly rule: string;
  /** Stable machine code, e.g. 'leaving-home-decision-missing'. */
  readonly code: string;
  readonly severity: FindingSeverity;
  /** Plain words for the practitioner, citing the §. */
  readonly message: string;
  /** Date of the event or fact the finding is about. */
  readonly on?: IsoDate;
  /** The step the finding concerns, when there is one. */
  readonly stepId?: string;
}
