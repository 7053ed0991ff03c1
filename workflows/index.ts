/**
 * The workflows the cpflow worker runs (bundled by the worker from this file).
 *
 * PLACEHOLDER created by the platform engineer so the worker can start before the case workflows exist:
 * it exports no workflow. The workflow engineer replaces this file with the real exports.
 */
export {};
