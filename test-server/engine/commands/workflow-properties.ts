/**
 * Commands that record or change a run's properties without other effects:
 * UpsertWorkflowSearchAttributes, ModifyWorkflowProperties (memo) and RecordMarker (local
 * activities, patches, side effects).
 */
import { temporal, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { obj } from '../request-fields';
import { memoFields, upsertFields, validateSearchAttributes } from '../search-attributes';
import type { EngineState } from '../state';
import type { CommandContext } from './command-context';

const ET = temporal.api.enums.v1.EventType;

/** UpsertWorkflowSearchAttributes: validated against the registry, recorded, applied and indexed. */
export function upsertSearchAttributes(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  const sa = a.searchAttributes;
  const fields = validateSearchAttributes(s.namespace(run.namespace), sa);
  run.append(ET.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, { workflowTaskCompletedEventId: c.completedId, searchAttributes: sa }, s.clock.now());
  upsertFields(run.searchAttributes, fields);
  s.visibility.refresh(run);
}

/** ModifyWorkflowProperties: the upserted memo fields, recorded and applied. */
export function modifyWorkflowProperties(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  const memo = obj(a.upsertedMemo);
  run.append(ET.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, { workflowTaskCompletedEventId: c.completedId, upsertedMemo: memo }, s.clock.now());
  upsertFields(run.memo, memoFields(memo));
}

/** RecordMarker: MarkerRecorded as the worker sent it. */
export function recordMarker(s: EngineState, run: WorkflowRun, a: ProtoObject, c: CommandContext): void {
  run.append(
    ET.EVENT_TYPE_MARKER_RECORDED,
    { markerName: a.markerName, details: a.details, header: a.header, failure: a.failure, workflowTaskCompletedEventId: c.completedId },
    s.clock.now(),
  );
}
