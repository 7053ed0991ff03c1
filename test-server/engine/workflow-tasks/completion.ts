/**
 * RespondWorkflowTaskCompleted: attached query answers, the WorkflowTaskCompleted event, the
 * worker's sticky queue, its commands and protocol messages in order, then buffered events and
 * the next task. A
 * completion that would close the run while new events wait is rejected (UnhandledCommand).
 */
import { UnhandledCommandError } from '../../errors';
import { temporal, type ProtoObject } from '../../proto';
import { applyCommand, closesRun } from '../commands/apply-command';
import { answerAttachedQueries, dispatchWaitingQueries } from '../queries/routing';
import { obj, str, type Req } from '../request-fields';
import type { EngineState } from '../state';
import { applyProtocolMessage, rejectUnprocessedUpdates } from '../updates/protocol-messages';
import { scheduleWorkflowTask } from './dispatch';
import { flushBufferedEvents } from './external-events';
import { failWorkflowTask, startedWorkflowTask } from './failure';
import { recordStickiness } from './sticky';

const ET = temporal.api.enums.v1.EventType;
const CommandType = temporal.api.enums.v1.CommandType;
const WftFailedCause = temporal.api.enums.v1.WorkflowTaskFailedCause;

/** RespondWorkflowTaskCompleted: records the completion, applies commands and protocol messages. */
export function respondWorkflowTaskCompleted(s: EngineState, req: Req): ProtoObject {
  const { run, wft } = startedWorkflowTask(s, req.taskToken);
  const identity = str(req.identity);
  const commands = (req.commands ?? []) as ProtoObject[];
  answerAttachedQueries(wft, (req.queryResults ?? {}) as Record<string, ProtoObject>);

  if (commands.some(closesRun) && (run.buffered.length > 0 || run.undeliveredUpdates().length > 0)) {
    // New events arrived while the worker was deciding to close the run: Temporal rejects the
    // completion so the workflow sees them first.
    failWorkflowTask(s, run, wft, WftFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND, null, identity, 1);
    throw new UnhandledCommandError();
  }

  const now = s.clock.now();
  const completedId = run.append(
    ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      identity,
      binaryChecksum: str(req.binaryChecksum),
      workerVersion: req.workerVersionStamp,
      sdkMetadata: req.sdkMetadata,
      meteringMetadata: req.meteringMetadata,
      deployment: req.deployment,
      versioningBehavior: req.versioningBehavior,
    },
    now,
  );
  run.lastCompletedStartedEventId = wft.startedEventId;
  // The worker's sticky queue (if it sent one) takes the run's next task.
  recordStickiness(run, req.stickyAttributes);
  // The task is over: events from here on (command results) go straight into history.
  wft.timeoutTimer?.cancel();
  run.wft = undefined;
  // Attached queries the worker did not answer are asked again (next task or a query task).
  run.queriesAwaitingTask.push(...wft.queries);
  wft.queries = [];

  const messages = new Map<string, ProtoObject>();
  for (const m of (req.messages ?? []) as ProtoObject[]) messages.set(str(m.id), m);
  const afterCommit: (() => void)[] = [];
  const context = { completedId, identity, afterCommit };
  for (const command of commands) {
    if (!run.isOpen) break;
    if (Number(command.commandType) === CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE) {
      const id = str(obj(command.protocolMessageCommandAttributes).messageId);
      const m = messages.get(id);
      if (m) {
        messages.delete(id);
        applyProtocolMessage(s, run, m);
      }
      continue;
    }
    applyCommand(s, run, command, context);
  }
  for (const m of messages.values()) if (run.isOpen) applyProtocolMessage(s, run, m);
  const heartbeat = req.forceCreateNewWorkflowTask === true;
  if (run.isOpen && !heartbeat) rejectUnprocessedUpdates(s, run);
  s.clock.markIdle(`wft:${run.runId}`);
  for (const action of afterCommit) action();
  const hadBuffered = run.buffered.length > 0;
  flushBufferedEvents(run);
  if (run.isOpen && (hadBuffered || run.needsWorkflowTask || heartbeat || run.undeliveredUpdates().length > 0)) {
    scheduleWorkflowTask(s, run, 1, heartbeat);
  }
  dispatchWaitingQueries(s, run);
  return {};
}
