import { describe, expect, it } from 'vitest';
import {
  indexedValueTypeNumber,
  SearchAttributeRegistrationError,
  SearchAttributeRegistry,
} from '../../../test-server/visibility';

describe('SearchAttributeRegistry', () => {
  it('pre-registers Temporal’s system and predefined attributes with their types', () => {
    const registry = new SearchAttributeRegistry();
    expect(registry.typeOf('WorkflowId')).toBe('Keyword');
    expect(registry.typeOf('RunId')).toBe('Keyword');
    expect(registry.typeOf('WorkflowType')).toBe('Keyword');
    expect(registry.typeOf('ExecutionStatus')).toBe('Keyword');
    expect(registry.typeOf('TaskQueue')).toBe('Keyword');
    expect(registry.typeOf('StartTime')).toBe('Datetime');
    expect(registry.typeOf('CloseTime')).toBe('Datetime');
    expect(registry.typeOf('ExecutionTime')).toBe('Datetime');
    expect(registry.typeOf('HistoryLength')).toBe('Int');
    expect(registry.typeOf('TemporalChangeVersion')).toBe('KeywordList');
    expect(registry.typeOf('BuildIds')).toBe('KeywordList');
    expect(registry.typeOf('BinaryChecksums')).toBe('KeywordList');
    expect(registry.typeOf('TemporalSchedulePaused')).toBe('Bool');
    expect(registry.categoryOf('WorkflowId')).toBe('system');
    expect(registry.categoryOf('BuildIds')).toBe('predefined');
    expect(registry.typeOf('CaseRef')).toBeUndefined();
  });

  it('registers custom attributes; re-registering with the same type is a no-op', () => {
    const registry = new SearchAttributeRegistry();
    registry.register('CaseRef', 'Keyword');
    registry.register('CaseRef', 'KEYWORD');
    registry.register('NextDeadline', 6);
    registry.register('Flags', 'INDEXED_VALUE_TYPE_KEYWORD_LIST');
    expect(registry.typeOf('CaseRef')).toBe('Keyword');
    expect(registry.typeOf('NextDeadline')).toBe('Datetime');
    expect(registry.typeOf('Flags')).toBe('KeywordList');
    expect(registry.categoryOf('CaseRef')).toBe('custom');
  });

  it('rejects a type conflict, naming the attribute and both types', () => {
    const registry = new SearchAttributeRegistry({ CaseRef: 'Keyword' });
    expect(() => registry.register('CaseRef', 'Text')).toThrow(SearchAttributeRegistrationError);
    expect(() => registry.register('CaseRef', 'Text')).toThrow(
      'Search attribute CaseRef already exists with type Keyword; it cannot be re-registered as Text.',
    );
    expect(registry.typeOf('CaseRef')).toBe('Keyword');
  });

  it('rejects system, predefined, reserved and Temporal-prefixed names', () => {
    const registry = new SearchAttributeRegistry();
    for (const name of [
      'WorkflowId',
      'ExecutionStatus',
      'BuildIds',
      'TemporalChangeVersion',
      'Memo',
      'NamespaceId',
      'TemporalCase',
    ]) {
      expect(() => registry.register(name, 'Keyword')).toThrow(`Search attribute ${name} is reserved by system.`);
    }
  });

  it('rejects unknown types and blank names with a message naming the rule', () => {
    const registry = new SearchAttributeRegistry();
    expect(() => registry.register('CaseRef', 'String')).toThrow(
      /Unknown search attribute type: String \(for search attribute CaseRef\); expected one of Text, Keyword/,
    );
    expect(() => registry.register('CaseRef', 0)).toThrow(/Unknown search attribute type: 0/);
    expect(() => registry.register(' ', 'Keyword')).toThrow(/must be non-empty, without surrounding spaces/);
  });

  it('lists custom and system attributes as ListSearchAttributes reports them', () => {
    const registry = new SearchAttributeRegistry({ Stage: 'Keyword', CaseRef: 'Keyword', Due: 'Datetime' });
    const listing = registry.list();
    expect(listing.custom).toEqual({ CaseRef: 'Keyword', Due: 'Datetime', Stage: 'Keyword' });
    expect(Object.keys(listing.custom)).toEqual(['CaseRef', 'Due', 'Stage']);
    expect(listing.system).toMatchObject({
      WorkflowId: 'Keyword',
      ExecutionStatus: 'Keyword',
      StartTime: 'Datetime',
      TemporalChangeVersion: 'KeywordList',
      BuildIds: 'KeywordList',
    });
    expect(listing.system).not.toHaveProperty('CaseRef');
    expect(indexedValueTypeNumber(listing.custom.Due)).toBe(6);
  });

  it('removes custom attributes only', () => {
    const registry = new SearchAttributeRegistry({ CaseRef: 'Keyword' });
    registry.remove('CaseRef');
    expect(registry.typeOf('CaseRef')).toBeUndefined();
    expect(() => registry.remove('CaseRef')).toThrow("Search attribute CaseRef doesn't exist.");
    expect(() => registry.remove('WorkflowId')).toThrow('Unable to remove non-custom search attributes: WorkflowId.');
    registry.register('CaseRef', 'Text');
    expect(registry.typeOf('CaseRef')).toBe('Text');
  });

  it('tells which attributes clients may set', () => {
    const registry = new SearchAttributeRegistry({ CaseRef: 'Keyword' });
    expect(registry.isSettableByClient('CaseRef')).toBe(true);
    expect(registry.isSettableByClient('TemporalChangeVersion')).toBe(true);
    expect(registry.isSettableByClient('WorkflowId')).toBe(false);
    expect(registry.isSettableByClient('TemporalWorkerDeployment')).toBe(false);
  });
});
