/**
 * gRPC wiring: serves WorkflowService, OperatorService and TestService with @grpc/grpc-js.
 * Every method of Temporal's service definitions is registered; those without a handler answer
 * UNIMPLEMENTED naming the method, so nothing ever hangs.
 */
import * as grpc from '@grpc/grpc-js';
import { VirtualClock } from './clock';
import { Engine } from './engine';
import { ServiceError, UnimplementedError } from './errors';
import { encodeMessage, grpcServiceDefinition, type ProtoObject } from './proto';
import type { ServiceHandlers } from './services/handler';
import { operatorServiceHandlers } from './services/operator-service';
import { testServiceHandlers } from './services/test-service';
import { workflowServiceHandlers } from './services/workflow-service';

/** Options of {@link createTestServer}. */
export interface TestServerOptions {
  timeSkipping: boolean;
  /** Custom search attributes to pre-register, as name → type name (Keyword, Int, ...). */
  searchAttributes?: Record<string, string>;
  log?: (message: string) => void;
}

function toGrpcError(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof ServiceError) {
    const metadata = new grpc.Metadata();
    metadata.set(
      'grpc-status-details-bin',
      encodeMessage('google.rpc.Status', { code: err.code, message: err.message, details: err.packedDetails() }),
    );
    return { code: err.code, details: err.message, metadata };
  }
  return { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}

function implement(serviceName: string, definition: grpc.ServiceDefinition, handlers: ServiceHandlers, log: (m: string) => void): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  const shortName = serviceName.replace(/^.*\./, '');
  for (const method of Object.keys(definition)) {
    const handler = handlers[method];
    impl[method] = (call: grpc.ServerUnaryCall<ProtoObject, ProtoObject>, callback: grpc.sendUnaryData<ProtoObject>) => {
      if (!handler) {
        log(`UNIMPLEMENTED ${shortName}/${method}`);
        callback(toGrpcError(new UnimplementedError(shortName, method)));
        return;
      }
      const cancelCallbacks: (() => void)[] = [];
      call.on('cancelled', () => {
        for (const cb of cancelCallbacks.splice(0)) cb();
      });
      const ctx = { onCancel: (cb: () => void) => void cancelCallbacks.push(cb) };
      Promise.resolve()
        .then(() => handler(call.request as ProtoObject & Record<string, unknown>, ctx))
        .then(
          (response) => callback(null, response),
          (err: unknown) => {
            if (!(err instanceof ServiceError)) log(`${shortName}/${method} failed: ${(err as Error)?.stack ?? String(err)}`);
            callback(toGrpcError(err));
          },
        );
    };
  }
  return impl;
}

/** A server instance (not yet bound to a port). */
export interface TestServer {
  grpcServer: grpc.Server;
  engine: Engine;
  clock: VirtualClock;
}

/** Creates the gRPC server with all three services. */
export function createTestServer(options: TestServerOptions): TestServer {
  const log = options.log ?? (() => undefined);
  const clock = new VirtualClock(options.timeSkipping);
  const engine = new Engine(clock, log);
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) engine.registerSearchAttributeEverywhere(name, type);
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': 128 * 1024 * 1024,
    'grpc.max_send_message_length': 128 * 1024 * 1024,
  });
  const services: [string, ServiceHandlers][] = [
    ['temporal.api.workflowservice.v1.WorkflowService', workflowServiceHandlers(engine)],
    ['temporal.api.operatorservice.v1.OperatorService', operatorServiceHandlers(engine)],
    ['temporal.api.testservice.v1.TestService', testServiceHandlers(clock)],
  ];
  for (const [name, handlers] of services) {
    const definition = grpcServiceDefinition(name);
    grpcServer.addService(definition, implement(name, definition, handlers, log));
  }
  return { grpcServer, engine, clock };
}
