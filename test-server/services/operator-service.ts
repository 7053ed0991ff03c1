/**
 * temporal.api.operatorservice.v1.OperatorService handlers: search attribute administration.
 */
import type { Engine } from '../engine';
import { InvalidArgumentError } from '../errors';
import { temporal } from '../proto';
import type { ServiceHandlers } from './handler';
import { indexedValueType } from './workflow-service';

function typeName(value: number): string {
  const T = temporal.api.enums.v1.IndexedValueType;
  const names: Record<number, string> = {
    [T.INDEXED_VALUE_TYPE_TEXT]: 'Text',
    [T.INDEXED_VALUE_TYPE_KEYWORD]: 'Keyword',
    [T.INDEXED_VALUE_TYPE_INT]: 'Int',
    [T.INDEXED_VALUE_TYPE_DOUBLE]: 'Double',
    [T.INDEXED_VALUE_TYPE_BOOL]: 'Bool',
    [T.INDEXED_VALUE_TYPE_DATETIME]: 'Datetime',
    [T.INDEXED_VALUE_TYPE_KEYWORD_LIST]: 'KeywordList',
  };
  const name = names[value];
  if (!name) throw new InvalidArgumentError(`searchAttributes: unknown IndexedValueType ${value}`);
  return name;
}

function asInvalidArgument(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof Error && !(err instanceof InvalidArgumentError)) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/** Builds the OperatorService handlers. */
export function operatorServiceHandlers(engine: Engine): ServiceHandlers {
  return {
    AddSearchAttributes: (req) => {
      const ns = engine.namespace(req.namespace);
      const attrs = (req.searchAttributes ?? {}) as Record<string, number>;
      try {
        asInvalidArgument(() => {
          for (const [name, type] of Object.entries(attrs)) ns.registry.register(name, typeName(Number(type)));
        });
      } finally {
        engine.searchAttributesRegistryChanged(ns.name);
      }
      return {};
    },
    RemoveSearchAttributes: (req) => {
      const ns = engine.namespace(req.namespace);
      try {
        asInvalidArgument(() => {
          for (const name of (req.searchAttributes ?? []) as string[]) ns.registry.remove(name);
        });
      } finally {
        engine.searchAttributesRegistryChanged(ns.name);
      }
      return {};
    },
    ListSearchAttributes: (req) => {
      const ns = engine.namespace(req.namespace);
      const listing = ns.registry.list();
      const map = (m: Record<string, string>) =>
        Object.fromEntries(Object.entries(m).map(([k, v]) => [k, indexedValueType(v)]));
      return { customAttributes: map(listing.custom), systemAttributes: map(listing.system), storageSchema: {} };
    },
  };
}
