/**
 * The Temporal servers cpflow runs on, pinned. Both come from Temporal: the dev server is the `temporal` CLI
 * (the real server with SQLite, visibility and the Web UI), the test server is the time-skipping server the
 * SDK's `TestWorkflowEnvironment.createTimeSkipping()` runs.
 */

/**
 * The `temporal` CLI release built from the Go module proxy. Releases from v1.6.0 on declare a `replace`
 * directive in their go.mod, which `go install pkg@version` refuses; v1.5.1 (Temporal server 1.29) is the
 * newest that installs that way.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Go module path of the `temporal` CLI's main package. */
export const TEMPORAL_CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

/** Oldest Go that builds {@link TEMPORAL_CLI_VERSION} (its go.mod says `go 1.25.0`). */
export const MINIMUM_GO = '1.25';

/**
 * `io.temporal:temporal-test-server` from Maven Central: the Java program the SDK downloads as a native image
 * for time-skipping tests (main class `io.temporal.testserver.TestServer`, argument `<port>`).
 */
export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';

/** Main class of the time-skipping test server. */
export const TEMPORAL_TEST_SERVER_MAIN_CLASS = 'io.temporal.testserver.TestServer';
