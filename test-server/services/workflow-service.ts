/**
 * temporal.api.workflowservice.v1.WorkflowService handlers, mapping RPCs onto the engine.
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine';
import { InvalidArgumentError } from '../errors';
import { temporal, type ProtoObject } from '../proto';
import { listWorkflows, countWorkflows } from './visibility-queries';
import type { ServiceHandlers } from './handler';

const NamespaceState = temporal.api.enums.v1.NamespaceState;

function obj(v: unknown): ProtoObject {
  return (v ?? {}) as ProtoObject;
}

/** Server capabilities reported by GetSystemInfo (the ones sdk-core and the TS client check). */
export const SERVER_CAPABILITIES = {
  signalAndQueryHeader: true,
  internalErrorDifferentiation: true,
  activityFailureIncludeHeartbeat: true,
  supportsSchedules: false,
  encodedFailureAttributes: true,
  buildIdBasedVersioning: false,
  upsertMemo: true,
  eagerWorkflowStart: false,
  sdkMetadata: true,
  countGroupByExecutionStatus: true,
  nexus: false,
};

/** Builds the WorkflowService handlers. */
export function workflowServiceHandlers(engine: Engine): ServiceHandlers {
  const describeNamespace = (name: string): ProtoObject => {
    const ns = engine.namespace(name);
    return {
      namespaceInfo: {
        name: ns.name,
        state: NamespaceState.NAMESPACE_STATE_REGISTERED,
        description: 'cpflow in-memory test server namespace',
        id: ns.id,
        capabilities: { eagerWorkflowStart: false, syncUpdate: true, asyncUpdate: true },
        supportsSchedules: false,
      },
      config: { workflowExecutionRetentionTtl: { seconds: 86_400 } },
      replicationConfig: { activeClusterName: 'active', clusters: [{ clusterName: 'active' }] },
      isGlobalNamespace: false,
    };
  };

  return {
    GetSystemInfo: () => ({ serverVersion: '1.27.0-cpflow-test-server', capabilities: SERVER_CAPABILITIES }),
    GetClusterInfo: () => ({
      supportedClients: {},
      serverVersion: '1.27.0-cpflow-test-server',
      clusterId: 'cpflow-test-server',
      clusterName: 'active',
      historyShardCount: 1,
      persistenceStore: 'memory',
      visibilityStore: 'memory',
    }),
    DescribeNamespace: (req) => {
      const name = String(req.namespace || '');
      if (!name && !req.id) throw new InvalidArgumentError('namespace: Namespace is not set on request.');
      const byId = [...engine.namespaces.values()].find((n) => n.id === req.id);
      return describeNamespace(name || byId?.name || String(req.id));
    },
    ListNamespaces: () => ({ namespaces: [...engine.namespaces.keys()].map(describeNamespace) }),
    RegisterNamespace: (req) => {
      const name = String(req.namespace || '');
      if (!name) throw new InvalidArgumentError('namespace: Namespace is not set on request.');
      engine.registerNamespace(name);
      return {};
    },
    GetSearchAttributes: () => {
      const ns = engine.namespace('default');
      const listing = ns.registry.list();
      const keys: Record<string, number> = {};
      for (const [name, type] of Object.entries({ ...listing.system, ...listing.custom })) {
        keys[name] = indexedValueType(type);
      }
      return { keys };
    },

    StartWorkflowExecution: (req) => engine.startWorkflow(req),
    SignalWithStartWorkflowExecution: (req) => {
      if (!req.signalName) throw new InvalidArgumentError('signalName: SignalName is not set on request.');
      return engine.startWorkflow(req, {
        signalName: String(req.signalName),
        input: req.signalInput as ProtoObject,
        header: req.header as ProtoObject,
        identity: String(req.identity ?? ''),
      });
    },
    ExecuteMultiOperation: async (req, ctx) => {
      // Update-with-start: exactly [startWorkflow, updateWorkflow], as the SDKs send it.
      const ops = (req.operations ?? []) as ProtoObject[];
      const start = obj(ops[0]?.startWorkflow);
      const update = obj(ops[1]?.updateWorkflow);
      if (ops.length !== 2 || !ops[0]?.startWorkflow || !ops[1]?.updateWorkflow) {
        throw new InvalidArgumentError('operations: expected exactly [startWorkflow, updateWorkflow]');
      }
      const started = engine.startWorkflow({ ...start, namespace: req.namespace });
      const updateResponse = await engine.update(
        { ...update, namespace: req.namespace, workflowExecution: { workflowId: start.workflowId, runId: started.runId } },
        ctx.onCancel,
      );
      return { responses: [{ startWorkflow: started }, { updateWorkflow: updateResponse }] };
    },
    SignalWorkflowExecution: (req) => {
      engine.signal(req);
      return {};
    },
    RequestCancelWorkflowExecution: (req) => {
      engine.requestCancel(req);
      return {};
    },
    TerminateWorkflowExecution: (req) => {
      engine.terminate(req);
      return {};
    },
    QueryWorkflow: (req, ctx) => engine.query(req, ctx.onCancel),
    UpdateWorkflowExecution: (req, ctx) => engine.update(req, ctx.onCancel),
    PollWorkflowExecutionUpdate: (req, ctx) => engine.pollUpdate(req, ctx.onCancel),
    DescribeWorkflowExecution: (req) => engine.describe(req),
    GetWorkflowExecutionHistory: (req, ctx) => engine.history(req, ctx.onCancel),
    ListWorkflowExecutions: (req) => listWorkflows(engine, req),
    ScanWorkflowExecutions: (req) => listWorkflows(engine, req),
    CountWorkflowExecutions: (req) => countWorkflows(engine, req),

    PollWorkflowTaskQueue: async (req, ctx) => (await engine.pollWorkflowTask(req, { onCancel: ctx.onCancel })) ?? {},
    RespondWorkflowTaskCompleted: (req) => engine.respondWorkflowTaskCompleted(req),
    RespondWorkflowTaskFailed: (req) => {
      engine.respondWorkflowTaskFailed(req);
      return {};
    },
    RespondQueryTaskCompleted: (req) => {
      engine.respondQueryTaskCompleted(req);
      return {};
    },

    PollActivityTaskQueue: async (req, ctx) => (await engine.pollActivityTask(req, { onCancel: ctx.onCancel })) ?? {},
    ...activityResponseHandlers(engine),

    ShutdownWorker: (req) => {
      engine.shutdownWorker(req);
      return {};
    },
    ResetStickyTaskQueue: (req) => {
      engine.resetStickyTaskQueue(req);
      return {};
    },
    // Worker housekeeping: accepted and ignored (no worker registry).
    RecordWorkerHeartbeat: () => ({}),
    DescribeTaskQueue: () => ({ pollers: [] }),
    ListTaskQueuePartitions: () => ({ activityTaskQueuePartitions: [], workflowTaskQueuePartitions: [] }),
    GetWorkerTaskReachability: () => ({ buildIdReachability: [] }),
    RequestIdempotencyToken: () => ({ token: randomUUID() }),
  };
}

/**
 * Activity worker responses — heartbeat, completed, failed, canceled — each in its two forms:
 * the activity named by its task token, or (`...ById`) by workflow id, run id and activity id.
 */
function activityResponseHandlers(engine: Engine): ServiceHandlers {
  const handlers: ServiceHandlers = {};
  for (const [suffix, byId] of [
    ['', false],
    ['ById', true],
  ] as const) {
    const identity = (req: ProtoObject) => String(req.identity ?? '');
    handlers[`RecordActivityTaskHeartbeat${suffix}`] = (req) => {
      const { act } = engine.activity(req, byId);
      return { cancelRequested: engine.heartbeatActivity(act, req.details as ProtoObject) };
    };
    handlers[`RespondActivityTaskCompleted${suffix}`] = (req) => {
      const { run, act } = engine.activity(req, byId);
      engine.completeActivity(run, act, req.result as ProtoObject, identity(req));
      return {};
    };
    handlers[`RespondActivityTaskFailed${suffix}`] = (req) => {
      const { run, act } = engine.activity(req, byId);
      engine.failActivity(run, act, obj(req.failure), req.lastHeartbeatDetails as ProtoObject, identity(req));
      return {};
    };
    handlers[`RespondActivityTaskCanceled${suffix}`] = (req) => {
      const { run, act } = engine.activity(req, byId);
      engine.cancelActivity(run, act, req.details as ProtoObject, identity(req));
      return {};
    };
  }
  return handlers;
}

/** Maps a search attribute type name to temporal.api.enums.v1.IndexedValueType. */
export function indexedValueType(type: string): number {
  const T = temporal.api.enums.v1.IndexedValueType;
  const map: Record<string, number> = {
    Text: T.INDEXED_VALUE_TYPE_TEXT,
    Keyword: T.INDEXED_VALUE_TYPE_KEYWORD,
    Int: T.INDEXED_VALUE_TYPE_INT,
    Double: T.INDEXED_VALUE_TYPE_DOUBLE,
    Bool: T.INDEXED_VALUE_TYPE_BOOL,
    Datetime: T.INDEXED_VALUE_TYPE_DATETIME,
    KeywordList: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  };
  return map[type] ?? T.INDEXED_VALUE_TYPE_UNSPECIFIED;
}
