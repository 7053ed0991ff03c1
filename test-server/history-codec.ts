/**
 * Wire encoding of history events, done once per event. A workflow task carries its run's whole
 * history, so without this every event would be converted and encoded again for every task of
 * the run (quadratic in the history length). Responses hand their history over as an
 * {@link EncodedHistory}; the gRPC serialiser writes the rest of the message with protobufjs and
 * appends the history field from the cached event bytes (protobuf fields may come in any order).
 */
import * as protos from '@temporalio/proto';
import type { Root, Type, Writer } from 'protobufjs';
import { ownBytes } from './detached-bytes';

/** Loose shape of a message object (as in proto.ts, which imports this module). */
type ProtoObject = { [field: string]: unknown };

const root = protos as unknown as Root;
const historyEventType: Type = root.lookupType('temporal.api.history.v1.HistoryEvent');
/** Field number of `History.events`. */
const EVENTS_FIELD = root.lookupType('temporal.api.history.v1.History').fields.events.id;

const encodedEvents = new WeakMap<object, Uint8Array>();

/** The encoded bytes of a history event (encoded on first use, then cached). */
export function encodedEvent(event: ProtoObject): Uint8Array {
  let bytes = encodedEvents.get(event);
  if (!bytes) {
    // Own buffer: a slice of protobufjs's shared slab would keep the whole slab alive.
    bytes = ownBytes(historyEventType.encode(historyEventType.fromObject(event)).finish());
    encodedEvents.set(event, bytes);
  }
  return bytes;
}

/** Forgets the cached bytes of an event whose attributes were changed after it was appended. */
export function eventChanged(event: ProtoObject): void {
  encodedEvents.delete(event);
}

/** A `temporal.api.history.v1.History` value made of stored events, serialised from cached bytes. */
export class EncodedHistory {
  constructor(readonly events: readonly ProtoObject[]) {}

  /** Writes this history as field `fieldId` of the message being written. */
  writeAsField(writer: Writer, fieldId: number): void {
    writer.uint32(((fieldId << 3) | 2) >>> 0).fork();
    for (const event of this.events) writer.uint32(((EVENTS_FIELD << 3) | 2) >>> 0).bytes(encodedEvent(event));
    writer.ldelim();
  }

  /** Plain form (for in-process callers that read the response object). */
  toJSON(): { events: readonly ProtoObject[] } {
    return { events: this.events };
  }
}

/** Encodes a response message, writing {@link EncodedHistory} fields from cached event bytes. */
export function encodeResponse(type: Type, value: ProtoObject): Buffer {
  let histories: [number, EncodedHistory][] | undefined;
  let rest: ProtoObject = value;
  for (const [name, field] of Object.entries(value)) {
    if (!(field instanceof EncodedHistory)) continue;
    const spec = type.fields[name];
    if (!spec) throw new Error(`${type.fullName} has no field ${name}`);
    if (rest === value) rest = { ...value };
    delete rest[name];
    (histories ??= []).push([spec.id, field]);
  }
  const writer = type.encode(type.fromObject(rest));
  for (const [id, history] of histories ?? []) history.writeAsField(writer, id);
  return Buffer.from(writer.finish());
}
