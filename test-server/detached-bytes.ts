/**
 * Keeps long-lived stored data from pinning big buffers. protobufjs decodes `bytes` fields (payload
 * data) as views into the whole received gRPC message, and encodes small messages into slices of
 * shared 8 KB slabs; a history that keeps such a view keeps the whole message or slab alive. With
 * thousands of long-lived runs that added up to ~130 KB of ArrayBuffer memory per run.
 */

/** A copy of `bytes` in its own, right-sized buffer (the same array when it already is). */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

/**
 * Replaces, in place, every byte array inside `value` (nested objects and arrays) that is a view
 * into a larger buffer with a right-sized copy. Returns `value`.
 */
export function detachBytes<T>(value: T): T {
  walk(value, 0);
  return value;
}

function walk(value: unknown, depth: number): void {
  if (value === null || typeof value !== 'object' || depth > 32) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item instanceof Uint8Array) value[i] = ownBytes(item);
      else walk(item, depth + 1);
    }
    return;
  }
  if (value instanceof Uint8Array) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (field instanceof Uint8Array) record[key] = ownBytes(field);
    else if (field !== null && typeof field === 'object') walk(field, depth + 1);
  }
}
