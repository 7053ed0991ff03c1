/**
 * The pure domain of cpflow — calendar, policy, case model, rules and planner. No I/O, no clock, no Node
 * built-ins: Temporal workflow code imports it.
 */
export * from './calendar';
export * from './case';
export * from './policy';
export * from './rules';
export * from './planner';
