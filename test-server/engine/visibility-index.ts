/**
 * Visibility records of every run, per namespace, kept up to date as runs start, upsert search
 * attributes and close (List/Count read them as they are; search attributes are decoded once per
 * change, through the visibility module's cache).
 */
import { readStoredSearchAttributes, type SearchAttributeRegistry, type VisibilityRecord } from '../visibility-bridge';
import type { WorkflowRun } from './workflow-run';
import { statusName } from './status-name';

/** A run and its visibility record. */
export interface VisibilityEntry {
  run: WorkflowRun;
  record: VisibilityRecord;
}

/** The visibility records of all runs. */
export class VisibilityIndex {
  private readonly byNamespace = new Map<string, Map<string, VisibilityEntry>>();

  /** @param registryOf the search attribute registry of a namespace (throws NOT_FOUND for an unknown one) */
  constructor(private readonly registryOf: (namespace: string) => SearchAttributeRegistry) {}

  /** Adds a new run's record. */
  add(run: WorkflowRun): void {
    const registry = this.registryOf(run.namespace);
    const record: VisibilityRecord = {
      workflowId: run.workflowId,
      runId: run.runId,
      workflowType: run.workflowType,
      taskQueue: run.taskQueue,
      status: statusName(run.status) as VisibilityRecord['status'],
      startTime: run.startTime,
      executionTime: run.executionTime,
      closeTime: undefined,
      searchAttributes: readStoredSearchAttributes(run.searchAttributes, registry),
      // Read when a query asks for it, so it never goes stale.
      get historyLength() {
        return run.history.length;
      },
      parentWorkflowId: run.parent?.workflowId,
      parentRunId: run.parent?.runId,
      rootWorkflowId: run.root.workflowId,
      rootRunId: run.root.runId,
    };
    let records = this.byNamespace.get(run.namespace);
    if (!records) {
      records = new Map();
      this.byNamespace.set(run.namespace, records);
    }
    records.set(run.runId, { run, record });
  }

  /** Brings a run's record up to date (status, close time, search attributes). */
  refresh(run: WorkflowRun): void {
    const entry = this.byNamespace.get(run.namespace)?.get(run.runId);
    if (!entry) return;
    const record = entry.record;
    record.status = statusName(run.status) as VisibilityRecord['status'];
    record.closeTime = run.isOpen ? undefined : run.closeTime;
    record.searchAttributes = readStoredSearchAttributes(run.searchAttributes, this.registryOf(run.namespace));
  }

  /** Re-reads every record's search attributes of a namespace after its registry changed. */
  refreshNamespace(namespace: string): void {
    for (const { run } of this.byNamespace.get(namespace)?.values() ?? []) this.refresh(run);
  }

  /** The records of a namespace (kept up to date; callers must not change them). */
  entries(namespace: string): VisibilityEntry[] {
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }
}
