/**
 * Errors the test server returns to gRPC callers. Each carries a gRPC status code and, where
 * Temporal defines one, an error-details message packed into `grpc-status-details-bin`.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { packAny, type ProtoObject } from './proto';

/** An error to be sent to the caller as a gRPC status. */
export class ServiceError extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
    readonly details?: { typeName: string; value: ProtoObject },
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  /** The packed google.rpc.Status details, if any. */
  packedDetails(): { type_url: string; value: Buffer }[] {
    return this.details ? [packAny(this.details.typeName, this.details.value)] : [];
  }
}

/** The requested entity (workflow, task, namespace, update) does not exist. */
export class NotFoundError extends ServiceError {
  constructor(message: string) {
    super(GrpcStatus.NOT_FOUND, message, {
      typeName: 'temporal.api.errordetails.v1.NotFoundFailure',
      value: {},
    });
    this.name = 'NotFoundError';
  }
}

/** A request field is missing or invalid. */
export class InvalidArgumentError extends ServiceError {
  constructor(message: string) {
    super(GrpcStatus.INVALID_ARGUMENT, message);
    this.name = 'InvalidArgumentError';
  }
}

/** A workflow with this id is already running (or the reuse policy forbids a new run). */
export class WorkflowAlreadyStartedError extends ServiceError {
  constructor(workflowId: string, runId: string, startRequestId: string) {
    super(GrpcStatus.ALREADY_EXISTS, `Workflow execution is already running. WorkflowId: ${workflowId}, RunId: ${runId}.`, {
      typeName: 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
      value: { startRequestId, runId },
    });
    this.name = 'WorkflowAlreadyStartedError';
  }
}

/** The RPC exists in Temporal's API but this server does not implement it. */
export class UnimplementedError extends ServiceError {
  constructor(service: string, method: string) {
    super(GrpcStatus.UNIMPLEMENTED, `${service}/${method} is not implemented by the cpflow test server`);
    this.name = 'UnimplementedError';
  }
}

/** The workflow run is closed and the operation needs an open one. */
export class WorkflowClosedError extends NotFoundError {
  constructor() {
    super('workflow execution already completed');
    this.name = 'WorkflowClosedError';
  }
}

/** Thrown to the completing worker when its completion raced new events (sdk-core evicts and polls again). */
export class UnhandledCommandError extends ServiceError {
  constructor() {
    super(GrpcStatus.INVALID_ARGUMENT, 'UnhandledCommand');
    this.name = 'UnhandledCommandError';
  }
}
