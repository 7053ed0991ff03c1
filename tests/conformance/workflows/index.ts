/** Workflows used by the test-server conformance tests. */
export * from './basic';
