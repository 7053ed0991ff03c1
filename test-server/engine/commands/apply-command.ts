/**
 * The commands of a completed workflow task, by type, each handed to the module that owns its
 * rule. Unknown command types are INVALID_ARGUMENT.
 */
import { InvalidArgumentError } from '../../errors';
import { temporal, type ProtoObject } from '../../proto';
import type { WorkflowRun } from '../workflow-run';
import { requestCancelActivity } from '../activities/cancellation';
import { scheduleActivity } from '../activities/schedule';
import { startChildWorkflow } from '../children/start-child';
import { requestCancelExternalWorkflow, signalExternalWorkflow } from '../external-workflows';
import { continueAsNew } from '../lifecycle/continue-as-new';
import { obj } from '../request-fields';
import type { EngineState } from '../state';
import { cancelWorkflow, completeWorkflow, failWorkflow } from './close-workflow';
import type { CommandContext } from './command-context';
import { cancelTimer, startTimer } from './timers';
import { modifyWorkflowProperties, recordMarker, upsertSearchAttributes } from './workflow-properties';

const CommandType = temporal.api.enums.v1.CommandType;

const closingCommandTypes: readonly number[] = [
  CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
  CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION,
  CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
  CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
];

/** Whether the command closes the run (complete, fail, cancel, continue-as-new). */
export function closesRun(command: ProtoObject): boolean {
  return closingCommandTypes.includes(Number(command.commandType));
}

/**
 * Applies one command of a completion, in the context `c` of that completion (its
 * WorkflowTaskCompleted event id, the worker's identity, and the work that follows the commit).
 */
export function applyCommand(s: EngineState, run: WorkflowRun, command: ProtoObject, c: CommandContext): void {
  const type = Number(command.commandType);
  switch (type) {
    case CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK:
      return scheduleActivity(s, run, obj(command.scheduleActivityTaskCommandAttributes), c);
    case CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK:
      return requestCancelActivity(s, run, obj(command.requestCancelActivityTaskCommandAttributes), c);
    case CommandType.COMMAND_TYPE_START_TIMER:
      return startTimer(s, run, obj(command.startTimerCommandAttributes), c);
    case CommandType.COMMAND_TYPE_CANCEL_TIMER:
      return cancelTimer(s, run, obj(command.cancelTimerCommandAttributes), c);
    case CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
      return completeWorkflow(s, run, obj(command.completeWorkflowExecutionCommandAttributes), c);
    case CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
      return failWorkflow(s, run, obj(command.failWorkflowExecutionCommandAttributes), c);
    case CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
      return cancelWorkflow(s, run, obj(command.cancelWorkflowExecutionCommandAttributes), c);
    case CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
      return continueAsNew(s, run, obj(command.continueAsNewWorkflowExecutionCommandAttributes), c);
    case CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
      return startChildWorkflow(s, run, obj(command.startChildWorkflowExecutionCommandAttributes), c);
    case CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
      return signalExternalWorkflow(s, run, obj(command.signalExternalWorkflowExecutionCommandAttributes), c);
    case CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
      return requestCancelExternalWorkflow(s, run, obj(command.requestCancelExternalWorkflowExecutionCommandAttributes), c);
    case CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      return upsertSearchAttributes(s, run, obj(command.upsertWorkflowSearchAttributesCommandAttributes), c);
    case CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES:
      return modifyWorkflowProperties(s, run, obj(command.modifyWorkflowPropertiesCommandAttributes), c);
    case CommandType.COMMAND_TYPE_RECORD_MARKER:
      return recordMarker(s, run, obj(command.recordMarkerCommandAttributes), c);
    default:
      throw new InvalidArgumentError(`commands: command type ${type} is not supported by the cpflow test server`);
  }
}
