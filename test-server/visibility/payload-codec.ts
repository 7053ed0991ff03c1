import { parseRfc3339, formatDatetime } from './datetime';
import { InvalidSearchAttributeValueError, UnknownSearchAttributeError } from './errors';
import type { SearchAttributeRegistry } from './registry';
import type { SearchAttributeTypeName, SearchAttributeValue, SearchAttributeValues } from './search-attribute-type';

/**
 * The shape of a `temporal.api.common.v1.Payload` as gRPC loaders deliver it: metadata values and data are
 * bytes (Buffer from @grpc/proto-loader, Uint8Array from protobufjs).
 */
export interface PayloadLike {
  metadata?: Record<string, Uint8Array | null | undefined> | null;
  data?: Uint8Array | null;
}

/** A payload built by {@link encodeSearchAttributes}. */
export interface EncodedPayload {
  metadata: Record<string, Buffer>;
  data: Buffer;
}

/**
 * Decoded search attributes of a start or upsert request: a value per attribute, or `null` meaning
 * "unset this attribute" (payload `null`, empty data, `binary/null` encoding or an empty list).
 */
export type SearchAttributeUpdate = Record<string, SearchAttributeValue | null>;

const JSON_ENCODING = 'json/plain';
const NULL_ENCODING = 'binary/null';
const JSON_ENCODING_BYTES = Buffer.from(JSON_ENCODING);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the `SearchAttributes.indexedFields` map of a request into typed values, validating each value
 * against the attribute's registered type the way Temporal's frontend does:
 * - the registered type decides (the payload's `type` metadata is informational, as in Temporal);
 * - a one-element JSON list is accepted for a scalar type (what the untyped TS `searchAttributes` sends);
 * - Datetime must be an RFC 3339 string and becomes epoch ms; Int must be an integer; KeywordList a list of strings.
 * Throws {@link UnknownSearchAttributeError} for an unregistered name, and
 * {@link InvalidSearchAttributeValueError} for a wrong value or an attribute clients may not set.
 */
export function decodeSearchAttributes(
  indexedFields: Record<string, PayloadLike | null | undefined> | null | undefined,
  registry: SearchAttributeRegistry,
): SearchAttributeUpdate {
  const result: SearchAttributeUpdate = {};
  if (indexedFields === null || indexedFields === undefined) return result;
  for (const [name, payload] of Object.entries(indexedFields)) {
    result[name] = decodeSearchAttributePayload(name, payload, registry);
  }
  return result;
}

/** Options of {@link decodeSearchAttributePayload}. */
export interface DecodePayloadOptions {
  /** Also accept attributes only the server may set (system and server-only predefined ones). */
  allowServerManaged?: boolean;
}

/** Decodes one attribute's payload (see {@link decodeSearchAttributes}); `null` means "unset". */
export function decodeSearchAttributePayload(
  name: string,
  payload: PayloadLike | null | undefined,
  registry: SearchAttributeRegistry,
  options: DecodePayloadOptions = {},
): SearchAttributeValue | null {
  const definition = registry.definitionOf(name);
  if (definition === undefined) throw new UnknownSearchAttributeError(name);
  if (options.allowServerManaged !== true && !registry.isSettableByClient(name)) {
    throw new InvalidSearchAttributeValueError(
      name,
      `${name} attribute can't be set in SearchAttributes: it is a ${definition.category} search attribute ` +
        `maintained by the server`,
    );
  }
  const raw = readPayloadJson(name, payload);
  return coerceToType(name, definition.type, raw);
}

/**
 * Applies decoded updates to a workflow's current search attributes (UpsertWorkflowSearchAttributes
 * semantics: a value replaces, `null` removes) and returns the new map; `current` is not modified.
 */
export function mergeSearchAttributes(
  current: Readonly<SearchAttributeValues>,
  update: Readonly<SearchAttributeUpdate>,
): SearchAttributeValues {
  const merged: SearchAttributeValues = { ...current };
  for (const [name, value] of Object.entries(update)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/**
 * Encodes typed values into `indexedFields` payloads for DescribeWorkflowExecution / List responses:
 * `json/plain` data with `type` metadata (`Keyword`, `Datetime`, `KeywordList`...) so the TS SDK's typed
 * search attributes decode them. Datetime values (epoch ms) are sent as RFC 3339 strings. Values of
 * attributes that are no longer registered are left out (Temporal hides removed attributes too).
 */
export function encodeSearchAttributes(
  values: Readonly<SearchAttributeValues>,
  registry: SearchAttributeRegistry,
): Record<string, EncodedPayload> {
  const result: Record<string, EncodedPayload> = {};
  for (const [name, value] of Object.entries(values)) {
    const type = registry.typeOf(name);
    if (type === undefined) continue;
    result[name] = encodeSearchAttributeValue(type, value);
  }
  return result;
}

/** Encodes one value of the given type as a search attribute payload. */
export function encodeSearchAttributeValue(type: SearchAttributeTypeName, value: SearchAttributeValue): EncodedPayload {
  const json = type === 'Datetime' && typeof value === 'number' ? formatDatetime(value) : value;
  return {
    metadata: { encoding: Buffer.from(JSON_ENCODING), type: Buffer.from(type) },
    data: Buffer.from(JSON.stringify(json)),
  };
}

function readPayloadJson(name: string, payload: PayloadLike | null | undefined): unknown {
  if (payload === null || payload === undefined) return null;
  const encodingBytes = payload.metadata?.encoding;
  // Fast path: almost every payload says json/plain; compare bytes without decoding them.
  const encoding =
    encodingBytes === null || encodingBytes === undefined
      ? undefined
      : JSON_ENCODING_BYTES.equals(encodingBytes)
        ? JSON_ENCODING
        : decodeUtf8(name, encodingBytes);
  if (encoding === NULL_ENCODING) return null;
  const data = payload.data;
  if (data === null || data === undefined || data.length === 0) return null;
  if (encoding !== undefined && encoding !== JSON_ENCODING) {
    throw new InvalidSearchAttributeValueError(
      name,
      `invalid value for search attribute ${name}: payload encoding ${JSON.stringify(encoding)} is not supported ` +
        `(search attribute values must be ${JSON_ENCODING})`,
    );
  }
  const text = decodeUtf8(name, data);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidSearchAttributeValueError(
      name,
      `invalid value for search attribute ${name}: payload data is not valid JSON`,
    );
  }
}

function decodeUtf8(name: string, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InvalidSearchAttributeValueError(name, `invalid value for search attribute ${name}: bytes are not UTF-8`);
  }
}

function coerceToType(name: string, type: SearchAttributeTypeName, raw: unknown): SearchAttributeValue | null {
  if (raw === null) return null;

  if (type === 'KeywordList') {
    if (!Array.isArray(raw)) throw wrongValue(name, type, raw, 'expected a list of strings');
    if (raw.length === 0) return null;
    if (!raw.every((item): item is string => typeof item === 'string'))
      throw wrongValue(name, type, raw, 'every item must be a string');
    return [...raw];
  }

  let value: unknown = raw;
  if (Array.isArray(raw)) {
    if (raw.length === 0) return null;
    if (raw.length > 1) throw wrongValue(name, type, raw, `a list of values is only allowed for KeywordList`);
    value = raw[0];
  }
  switch (type) {
    case 'Keyword':
    case 'Text':
      if (typeof value !== 'string') throw wrongValue(name, type, raw, 'expected a string');
      return value;
    case 'Int':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw wrongValue(name, type, raw, 'expected an integer');
      return value;
    case 'Double':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongValue(name, type, raw, 'expected a number');
      return value;
    case 'Bool':
      if (typeof value !== 'boolean') throw wrongValue(name, type, raw, 'expected true or false');
      return value;
    case 'Datetime': {
      const millis = typeof value === 'string' ? parseRfc3339(value) : undefined;
      if (millis === undefined) throw wrongValue(name, type, raw, 'expected an RFC 3339 timestamp string');
      return millis;
    }
  }
}

// A top-level function, not a closure: tsx/esbuild wraps every closure creation with a naming helper,
// which is costly on this per-payload path.
function wrongValue(
  name: string,
  type: SearchAttributeTypeName,
  raw: unknown,
  rule: string,
): InvalidSearchAttributeValueError {
  return new InvalidSearchAttributeValueError(
    name,
    `invalid value for search attribute ${name} of type ${type}: ${JSON.stringify(raw)} (${rule})`,
  );
}
