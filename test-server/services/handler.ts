/** Shared shape of an RPC handler of the test server. */
import type { ProtoObject } from '../proto';

/** Per-call context given to handlers. */
export interface CallContext {
  /** Registers a callback run if the caller cancels the call or disconnects. */
  onCancel(cb: () => void): void;
}

/** Handles one RPC; a thrown ServiceError becomes the gRPC status. */
export type RpcHandler = (request: ProtoObject & Record<string, unknown>, ctx: CallContext) => ProtoObject | Promise<ProtoObject>;

/** Handlers of one service, by method name. */
export type ServiceHandlers = Record<string, RpcHandler>;
