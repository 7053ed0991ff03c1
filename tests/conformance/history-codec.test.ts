/** The server's cached history encoding writes exactly what protobufjs would write for the same response. */
import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { EncodedHistory, encodeResponse, eventChanged } from '../../test-server/history-codec';
import { messageType } from '../../test-server/proto';

const ET = temporal.api.enums.v1.EventType;
const PollResponse = 'temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse';

function events(): Record<string, unknown>[] {
  return [
    { eventId: 1, eventType: ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, eventTime: { seconds: 10, nanos: 5 }, workflowExecutionStartedEventAttributes: { workflowType: { name: 'caseWorkflow' }, attempt: 1 } },
    { eventId: 2, eventType: ET.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, eventTime: { seconds: 10, nanos: 6 }, workflowTaskScheduledEventAttributes: { attempt: 1, taskQueue: { name: 'q' } } },
    { eventId: 3, eventType: ET.EVENT_TYPE_WORKFLOW_TASK_STARTED, eventTime: { seconds: 11, nanos: 0 }, workflowTaskStartedEventAttributes: { scheduledEventId: 2, identity: 'w' } },
  ];
}

describe('history encoding from cached event bytes', () => {
  it('decodes to the same response as a plain protobufjs encoding, also after an event changed', () => {
    const type = messageType(PollResponse);
    const stored = events();
    const response = { taskToken: Buffer.from('t'), startedEventId: 3, attempt: 1, workflowType: { name: 'caseWorkflow' } };
    const cached = encodeResponse(type, { ...response, history: new EncodedHistory(stored) });
    const plain = type.encode(type.fromObject({ ...response, history: { events: stored } })).finish();
    expect(type.toObject(type.decode(cached))).toEqual(type.toObject(type.decode(plain)));

    // Mutated after its first encoding (continue-as-new fills in the new run id): re-encoded once told.
    (stored[2].workflowTaskStartedEventAttributes as Record<string, unknown>).identity = 'other';
    eventChanged(stored[2]);
    const again = type.decode(encodeResponse(type, { ...response, history: new EncodedHistory(stored) })) as unknown as {
      history: { events: { workflowTaskStartedEventAttributes?: { identity?: string } }[] };
    };
    expect(again.history.events[2].workflowTaskStartedEventAttributes?.identity).toBe('other');
    expect(again.history.events).toHaveLength(3);
  });
});
