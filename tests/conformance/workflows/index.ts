/** Workflows used by the test-server conformance tests. */
export * from './basic';
export * from './activity-behaviour';
export * from './messages';
export * from './lifecycle';
export * from './queries';
export * from './timeouts';
export * from './tasks';
export * from './ledger';
