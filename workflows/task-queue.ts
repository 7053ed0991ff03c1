/**
 * The task queue cpflow's workers poll and cpflow's clients start case workflows on.
 * Kept in its own Node-free file so workflow code, the worker and the CLI can all import it.
 */
export const CPFLOW_TASK_QUEUE = 'cpflow';
