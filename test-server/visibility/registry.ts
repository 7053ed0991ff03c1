import { SearchAttributeRegistrationError } from './errors';
import { parseSearchAttributeType, type SearchAttributeTypeName } from './search-attribute-type';

/**
 * Where a search attribute comes from, as Temporal classifies them:
 * - `system`: stored as separate fields of the execution (WorkflowId, StartTime...); clients can never set them;
 * - `predefined`: server-defined but carried in the SearchAttributes map (TemporalChangeVersion, BuildIds...);
 *   a white-listed subset may be set by clients;
 * - `custom`: registered per namespace with OperatorService.AddSearchAttributes.
 */
export type SearchAttributeCategory = 'system' | 'predefined' | 'custom';

/** A registered search attribute. */
export interface SearchAttributeDefinition {
  readonly name: string;
  readonly type: SearchAttributeTypeName;
  readonly category: SearchAttributeCategory;
}

/** What OperatorService.ListSearchAttributes reports (system = Temporal's system + predefined attributes). */
export interface SearchAttributeListing {
  readonly custom: Record<string, SearchAttributeTypeName>;
  readonly system: Record<string, SearchAttributeTypeName>;
}

/** Temporal's system search attributes (sadefs.system): separate columns, never settable by clients. */
const SYSTEM_ATTRIBUTES: Readonly<Record<string, SearchAttributeTypeName>> = {
  WorkflowId: 'Keyword',
  RunId: 'Keyword',
  WorkflowType: 'Keyword',
  StartTime: 'Datetime',
  ExecutionTime: 'Datetime',
  CloseTime: 'Datetime',
  ExecutionStatus: 'Keyword',
  TaskQueue: 'Keyword',
  HistoryLength: 'Int',
  ExecutionDuration: 'Int',
  StateTransitionCount: 'Int',
  HistorySizeBytes: 'Int',
  ParentWorkflowId: 'Keyword',
  ParentRunId: 'Keyword',
  RootWorkflowId: 'Keyword',
  RootRunId: 'Keyword',
};

/** Temporal's predefined search attributes that clients (SDKs, batcher, schedules) may set. */
const CLIENT_SETTABLE_PREDEFINED: Readonly<Record<string, SearchAttributeTypeName>> = {
  TemporalChangeVersion: 'KeywordList',
  BinaryChecksums: 'KeywordList',
  BuildIds: 'KeywordList',
  BatcherNamespace: 'Keyword',
  BatcherUser: 'Keyword',
  TemporalScheduledStartTime: 'Datetime',
  TemporalScheduledById: 'Keyword',
  TemporalSchedulePaused: 'Bool',
  TemporalNamespaceDivision: 'Keyword',
  TemporalPauseInfo: 'KeywordList',
  TemporalReportedProblems: 'KeywordList',
};

/** Temporal's predefined search attributes that only the server itself writes. */
const SERVER_ONLY_PREDEFINED: Readonly<Record<string, SearchAttributeTypeName>> = {
  TemporalWorkerDeploymentVersion: 'Keyword',
  TemporalWorkflowVersioningBehavior: 'Keyword',
  TemporalWorkerDeployment: 'Keyword',
  TemporalUsedWorkerDeploymentVersions: 'KeywordList',
  TemporalExternalPayloadCount: 'Int',
  TemporalExternalPayloadSizeBytes: 'Int',
};

/** Internal field names that can never be search attribute names. */
const RESERVED_FIELD_NAMES = new Set(['NamespaceId', 'Memo', 'MemoEncoding', 'VisibilityTaskKey']);

/** Names starting with this prefix are reserved for Temporal. */
const RESERVED_PREFIX = 'Temporal';

/** `ScheduleId` may be queried even when not registered: Temporal reads it as WorkflowId. */
const SCHEDULE_ID_ALIAS = 'ScheduleId';

/**
 * The search attributes of one namespace: Temporal's system and predefined attributes, pre-registered,
 * plus the custom attributes registered by the operator.
 */
export class SearchAttributeRegistry {
  private readonly custom = new Map<string, SearchAttributeTypeName>();

  /** Creates a registry, optionally with custom attributes already registered. */
  constructor(customAttributes: Readonly<Record<string, SearchAttributeTypeName>> = {}) {
    for (const [name, type] of Object.entries(customAttributes)) this.register(name, type);
  }

  /**
   * Registers a custom search attribute. Registering an existing custom attribute with the same type is a
   * no-op; a different type, a system/predefined/reserved name, an empty name or an unknown type is a
   * {@link SearchAttributeRegistrationError} naming the attribute. (Temporal itself silently keeps the old
   * definition on a type conflict; we fail loudly so a mistaken setup shows up in tests.)
   * `type` may be spelled `Keyword`, `KEYWORD`, `INDEXED_VALUE_TYPE_KEYWORD` or the enum number.
   */
  register(name: string, type: SearchAttributeTypeName | string | number): void {
    if (typeof name !== 'string' || name.trim() === '' || name.trim() !== name) {
      throw new SearchAttributeRegistrationError(
        String(name),
        `Search attribute name ${JSON.stringify(name)} is invalid: it must be non-empty, without surrounding spaces.`,
      );
    }
    const parsedType = parseSearchAttributeType(type);
    if (parsedType === undefined) {
      throw new SearchAttributeRegistrationError(
        name,
        `Unknown search attribute type: ${String(type)} (for search attribute ${name}); expected one of ` +
          `Text, Keyword, Int, Double, Bool, Datetime, KeywordList.`,
      );
    }
    if (isReservedName(name)) {
      throw new SearchAttributeRegistrationError(name, `Search attribute ${name} is reserved by system.`);
    }
    const existing = this.custom.get(name);
    if (existing !== undefined && existing !== parsedType) {
      throw new SearchAttributeRegistrationError(
        name,
        `Search attribute ${name} already exists with type ${existing}; it cannot be re-registered as ${parsedType}.`,
      );
    }
    this.custom.set(name, parsedType);
  }

  /**
   * Removes a custom search attribute (OperatorService.RemoveSearchAttributes). Removing a system or
   * predefined attribute, or one that is not registered, is a {@link SearchAttributeRegistrationError}.
   */
  remove(name: string): void {
    if (this.categoryOf(name) === 'system' || this.categoryOf(name) === 'predefined') {
      throw new SearchAttributeRegistrationError(name, `Unable to remove non-custom search attributes: ${name}.`);
    }
    if (!this.custom.delete(name)) {
      throw new SearchAttributeRegistrationError(name, `Search attribute ${name} doesn't exist.`);
    }
  }

  /** The type of a registered attribute (system, predefined or custom), or undefined. Exact name only. */
  typeOf(name: string): SearchAttributeTypeName | undefined {
    return this.definitionOf(name)?.type;
  }

  /** The category of a registered attribute, or undefined when it is not registered. */
  categoryOf(name: string): SearchAttributeCategory | undefined {
    return this.definitionOf(name)?.category;
  }

  /** The full definition of a registered attribute (exact name), or undefined. */
  definitionOf(name: string): SearchAttributeDefinition | undefined {
    const custom = this.custom.get(name);
    if (custom !== undefined) return { name, type: custom, category: 'custom' };
    if (Object.hasOwn(SYSTEM_ATTRIBUTES, name)) return { name, type: SYSTEM_ATTRIBUTES[name], category: 'system' };
    const predefined = predefinedType(name);
    if (predefined !== undefined) return { name, type: predefined, category: 'predefined' };
    return undefined;
  }

  /**
   * True when a client may set this attribute in StartWorkflowExecution / UpsertWorkflowSearchAttributes:
   * custom attributes and the white-listed predefined ones (TemporalChangeVersion, BuildIds, ...).
   */
  isSettableByClient(name: string): boolean {
    return this.custom.has(name) || Object.hasOwn(CLIENT_SETTABLE_PREDEFINED, name);
  }

  /**
   * Resolves a name used in a List Filter the way Temporal does: custom first, then system/predefined,
   * then `ScheduleId` → WorkflowId, then with the `Temporal` prefix added or removed
   * (e.g. `ChangeVersion` → TemporalChangeVersion). Returns undefined when nothing matches.
   */
  resolveQueryName(alias: string): SearchAttributeDefinition | undefined {
    const direct = this.definitionOf(alias);
    if (direct !== undefined) return direct;
    const bare = alias.startsWith(RESERVED_PREFIX) ? alias.slice(RESERVED_PREFIX.length) : alias;
    if (bare === SCHEDULE_ID_ALIAS) return this.definitionOf('WorkflowId');
    const toggled = alias.startsWith(RESERVED_PREFIX) ? bare : RESERVED_PREFIX + alias;
    const definition = this.definitionOf(toggled);
    // Custom attributes can only be reached by their exact name.
    return definition?.category === 'custom' ? undefined : definition;
  }

  /** All attributes split as OperatorService.ListSearchAttributes reports them. */
  list(): SearchAttributeListing {
    return {
      custom: Object.fromEntries([...this.custom.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      system: { ...SYSTEM_ATTRIBUTES, ...CLIENT_SETTABLE_PREDEFINED, ...SERVER_ONLY_PREDEFINED },
    };
  }
}

function predefinedType(name: string): SearchAttributeTypeName | undefined {
  if (Object.hasOwn(CLIENT_SETTABLE_PREDEFINED, name)) return CLIENT_SETTABLE_PREDEFINED[name];
  if (Object.hasOwn(SERVER_ONLY_PREDEFINED, name)) return SERVER_ONLY_PREDEFINED[name];
  return undefined;
}

function isReservedName(name: string): boolean {
  return (
    Object.hasOwn(SYSTEM_ATTRIBUTES, name) ||
    predefinedType(name) !== undefined ||
    RESERVED_FIELD_NAMES.has(name) ||
    name.startsWith(RESERVED_PREFIX)
  );
}
