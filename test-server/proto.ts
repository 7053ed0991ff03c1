/**
 * Access to Temporal's protobuf definitions, taken from the installed `@temporalio/proto` package
 * (protobufjs JSON descriptors generated from the same `.proto` files sdk-core ships), and the
 * gRPC service definitions built from them.
 */
import type * as grpc from '@grpc/grpc-js';
import * as protos from '@temporalio/proto';
import type { Root, Service, Type } from 'protobufjs';
import { encodeResponse } from './history-codec';

export { temporal, google } from '@temporalio/proto';

/** The protobufjs reflection root holding every Temporal API type. */
export const protoRoot = protos as unknown as Root;

/** Loose shape of a decoded protobuf message or of a plain object about to be encoded. */
export type ProtoObject = { [field: string]: unknown };

/** A protobuf int64 as protobufjs hands it out (Long) or as we write it (number). */
export type Int64Like = number | { toNumber(): number } | null | undefined;

/** Converts an int64 field value (Long, number or absent) to a JS number. */
export function toNumber(value: Int64Like): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Shape of google.protobuf.Timestamp / Duration as decoded or written. */
export interface SecondsNanos {
  seconds?: Int64Like;
  nanos?: number | null;
}

/** Converts a google.protobuf.Duration to milliseconds (0 when absent). */
export function durationToMs(d: SecondsNanos | null | undefined): number {
  if (!d) return 0;
  return toNumber(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

/** Converts milliseconds to a google.protobuf.Duration object. */
export function msToDuration(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Converts epoch milliseconds to a google.protobuf.Timestamp object. */
export const msToTimestamp = msToDuration;

/** Converts a google.protobuf.Timestamp to epoch milliseconds. */
export const timestampToMs = durationToMs;

/** Looks up a message type by its fully qualified name. */
export function messageType(fullName: string): Type {
  return protoRoot.lookupType(fullName);
}

/** Encodes a plain object (or message instance) as the given message type. */
export function encodeMessage(fullName: string, value: ProtoObject): Buffer {
  const type = messageType(fullName);
  return Buffer.from(type.encode(type.fromObject(value)).finish());
}

/** Packs a message into a google.protobuf.Any. */
export function packAny(fullName: string, value: ProtoObject): { type_url: string; value: Buffer } {
  return { type_url: `type.googleapis.com/${fullName}`, value: encodeMessage(fullName, value) };
}

/** Unpacks a google.protobuf.Any; returns the type name and the decoded message. */
export function unpackAny(any: { type_url?: string | null; value?: Uint8Array | null }): {
  typeName: string;
  message: ProtoObject;
} {
  const typeName = (any.type_url ?? '').replace(/^.*\//, '');
  const type = messageType(typeName);
  return { typeName, message: type.decode(any.value ?? new Uint8Array()) as unknown as ProtoObject };
}

/** Builds a grpc-js service definition (with protobufjs (de)serialisers) for a Temporal service. */
export function grpcServiceDefinition(fullName: string): grpc.ServiceDefinition {
  const service: Service = protoRoot.lookupService(fullName);
  const definition: Record<string, grpc.MethodDefinition<ProtoObject, ProtoObject>> = {};
  for (const method of Object.values(service.methods)) {
    method.resolve();
    const requestType = method.resolvedRequestType as Type;
    const responseType = method.resolvedResponseType as Type;
    definition[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: ProtoObject) => Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
      requestDeserialize: (bytes: Buffer) => requestType.decode(bytes) as unknown as ProtoObject,
      responseSerialize: (value: ProtoObject) => encodeResponse(responseType, value),
      responseDeserialize: (bytes: Buffer) => responseType.decode(bytes) as unknown as ProtoObject,
      originalName: method.name,
    };
  }
  return definition as grpc.ServiceDefinition;
}
