/**
 * Reading fields of decoded gRPC requests and commands (plain protobufjs objects): the request
 * type the engine takes and the two readers that default a missing field.
 */
import type { ProtoObject } from '../proto';

/** Payloads (or any message) as they come in a request: possibly absent. */
export type Payloads = ProtoObject | null | undefined;

/** A decoded request message. */
export type Req = Record<string, unknown> & ProtoObject;

/** The field as a string, or '' when it is not one. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The field as a message, or an empty one when absent. */
export function obj(v: unknown): ProtoObject {
  return (v ?? {}) as ProtoObject;
}
