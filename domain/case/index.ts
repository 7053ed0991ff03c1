/** Public API of the case model: referral, case events, checklists, identifiers and parsing. */
export * from './checklists';
export * from './identifiers';
export { IsoDateSchema } from './iso-date-schema';
export * from './referral';
export * from './events';
export { type FieldProblem, describeProblems, formatFieldPath, toFieldProblems } from './issues';
export { InvalidCaseEventError, InvalidReferralError } from './errors';
export { parseCaseEvent, parseReferral } from './parse';
