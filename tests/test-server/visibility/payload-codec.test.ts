import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import {
  decodeSearchAttributes as sdkDecodeUntyped,
  decodeTypedSearchAttributes as sdkDecodeTyped,
  encodeUnifiedSearchAttributes,
} from '@temporalio/common/lib/converter/payload-search-attributes';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import {
  decodeSearchAttributes,
  encodeSearchAttributes,
  InvalidSearchAttributeValueError,
  mergeSearchAttributes,
  readStoredSearchAttributes,
  UnknownSearchAttributeError,
  type PayloadLike,
} from '../../../test-server/visibility';
import { at, caseRegistry } from './fixtures';

const registry = caseRegistry();

const keys = {
  caseRef: defineSearchAttributeKey('CaseRef', SearchAttributeType.KEYWORD),
  flags: defineSearchAttributeKey('Flags', SearchAttributeType.KEYWORD_LIST),
  nextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  overdueCount: defineSearchAttributeKey('OverdueCount', SearchAttributeType.INT),
  riskScore: defineSearchAttributeKey('RiskScore', SearchAttributeType.DOUBLE),
  escalated: defineSearchAttributeKey('Escalated', SearchAttributeType.BOOL),
  summary: defineSearchAttributeKey('Summary', SearchAttributeType.TEXT),
};

/** What the server receives: the SDK's encoding, serialised to protobuf bytes and parsed back. */
function overTheWire(indexedFields: Record<string, temporal.api.common.v1.IPayload>): Record<string, PayloadLike> {
  const bytes = temporal.api.common.v1.SearchAttributes.encode({ indexedFields }).finish();
  const decoded = temporal.api.common.v1.SearchAttributes.decode(bytes);
  return decoded.indexedFields as Record<string, PayloadLike>;
}

function typedFromSdk(pairs: SearchAttributeUpdatePair[]): Record<string, PayloadLike> {
  return overTheWire(encodeUnifiedSearchAttributes(undefined, pairs));
}

describe('decodeSearchAttributes', () => {
  it('decodes every type as the TS SDK’s typed search attributes send them', () => {
    const deadline = new Date('2025-03-01T09:30:00.250Z');
    const decoded = decodeSearchAttributes(
      typedFromSdk([
        { key: keys.caseRef, value: 'CP-0001' },
        { key: keys.flags, value: ['overdue', 'escalated'] },
        { key: keys.nextDeadline, value: deadline },
        { key: keys.overdueCount, value: 3 },
        { key: keys.riskScore, value: 0.75 },
        { key: keys.escalated, value: false },
        { key: keys.summary, value: 'strategy discussion overdue' },
      ]),
      registry,
    );
    expect(decoded).toEqual({
      CaseRef: 'CP-0001',
      Flags: ['overdue', 'escalated'],
      NextDeadline: deadline.getTime(),
      OverdueCount: 3,
      RiskScore: 0.75,
      Escalated: false,
      Summary: 'strategy discussion overdue',
    });
  });

  it('decodes the legacy untyped searchAttributes (every value a list)', () => {
    const decoded = decodeSearchAttributes(
      overTheWire(
        encodeUnifiedSearchAttributes({
          CaseRef: ['CP-0002'],
          Flags: ['a', 'b'],
          NextDeadline: [new Date('2025-01-02T00:00:00Z')],
          OverdueCount: [7],
        }),
      ),
      registry,
    );
    expect(decoded).toEqual({
      CaseRef: 'CP-0002',
      Flags: ['a', 'b'],
      NextDeadline: at('2025-01-02T00:00:00Z'),
      OverdueCount: 7,
    });
  });

  it('reads an upsert of null (typed), an empty list (untyped) or empty data as "unset"', () => {
    const decoded = decodeSearchAttributes(
      {
        ...typedFromSdk([{ key: keys.nextDeadline, value: null }]),
        ...overTheWire(encodeUnifiedSearchAttributes({ Flags: [] })),
        Stage: { metadata: { encoding: Buffer.from('json/plain') }, data: new Uint8Array() },
        Escalated: { metadata: { encoding: Buffer.from('binary/null') } },
      },
      registry,
    );
    expect(decoded).toEqual({ NextDeadline: null, Flags: null, Stage: null, Escalated: null });
  });

  it('accepts Buffer or Uint8Array bytes', () => {
    const asBuffer = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"CP-9"') };
    const asUint8 = {
      metadata: { encoding: new TextEncoder().encode('json/plain') },
      data: new TextEncoder().encode('"CP-9"'),
    };
    expect(decodeSearchAttributes({ CaseRef: asBuffer }, registry)).toEqual({ CaseRef: 'CP-9' });
    expect(decodeSearchAttributes({ CaseRef: asUint8 }, registry)).toEqual({ CaseRef: 'CP-9' });
    expect(decodeSearchAttributes(null, registry)).toEqual({});
  });

  it('accepts the predefined attributes SDKs set (TemporalChangeVersion)', () => {
    expect(
      decodeSearchAttributes(
        overTheWire(encodeUnifiedSearchAttributes({ TemporalChangeVersion: ['deadline-v2-1'] })),
        registry,
      ),
    ).toEqual({ TemporalChangeVersion: ['deadline-v2-1'] });
  });

  it('rejects an unregistered attribute with an UnknownSearchAttributeError naming it', () => {
    const unknown = defineSearchAttributeKey('CaseOwner', SearchAttributeType.KEYWORD);
    const act = () => decodeSearchAttributes(typedFromSdk([{ key: unknown, value: 'team-a' }]), registry);
    expect(act).toThrow(UnknownSearchAttributeError);
    expect(act).toThrow(/search attribute CaseOwner is not defined/);
  });

  it('rejects setting a system attribute', () => {
    const act = () =>
      decodeSearchAttributes(overTheWire(encodeUnifiedSearchAttributes({ WorkflowId: ['x'] })), registry);
    expect(act).toThrow(InvalidSearchAttributeValueError);
    expect(act).toThrow("WorkflowId attribute can't be set in SearchAttributes");
  });

  it.each([
    ['OverdueCount', 'Int', '"3"', 'expected an integer'],
    ['OverdueCount', 'Int', '2.5', 'expected an integer'],
    ['RiskScore', 'Double', 'true', 'expected a number'],
    ['Escalated', 'Bool', '"yes"', 'expected true or false'],
    ['CaseRef', 'Keyword', '42', 'expected a string'],
    ['CaseRef', 'Keyword', '["a","b"]', 'a list of values is only allowed for KeywordList'],
    ['Flags', 'KeywordList', '"overdue"', 'expected a list of strings'],
    ['Flags', 'KeywordList', '["a",null]', 'every item must be a string'],
    ['NextDeadline', 'Datetime', '1735689600000', 'expected an RFC 3339 timestamp string'],
    ['NextDeadline', 'Datetime', '"tomorrow"', 'expected an RFC 3339 timestamp string'],
  ])('rejects a wrong %s value (%s) %s', (name, type, json, rule) => {
    const payload = {
      metadata: { encoding: Buffer.from('json/plain'), type: Buffer.from(type) },
      data: Buffer.from(json),
    };
    const act = () => decodeSearchAttributes({ [name]: payload }, registry);
    expect(act).toThrow(InvalidSearchAttributeValueError);
    expect(act).toThrow(`invalid value for search attribute ${name} of type ${type}: ${json} (${rule})`);
  });

  it('rejects payloads that are not JSON', () => {
    const binary = { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.from('x') };
    expect(() => decodeSearchAttributes({ CaseRef: binary }, registry)).toThrow(
      'payload encoding "binary/plain" is not supported',
    );
    const broken = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{') };
    expect(() => decodeSearchAttributes({ CaseRef: broken }, registry)).toThrow('payload data is not valid JSON');
  });
});

describe('mergeSearchAttributes', () => {
  it('replaces values and removes the ones set to null, without touching the input', () => {
    const current = { CaseRef: 'CP-1', Stage: 'a', Flags: ['x'] };
    expect(mergeSearchAttributes(current, { Stage: 'b', Flags: null, OverdueCount: 1 })).toEqual({
      CaseRef: 'CP-1',
      Stage: 'b',
      OverdueCount: 1,
    });
    expect(current).toEqual({ CaseRef: 'CP-1', Stage: 'a', Flags: ['x'] });
  });
});

describe('encodeSearchAttributes', () => {
  it('produces payloads the TS SDK decodes back into the same typed values', () => {
    const values = {
      CaseRef: 'CP-0001',
      Flags: ['overdue'],
      NextDeadline: at('2025-03-01T09:30:00.250Z'),
      OverdueCount: 3,
      RiskScore: 0.5,
      Escalated: true,
      Summary: 'strategy discussion',
    };
    const encoded = overTheWire(encodeSearchAttributes(values, registry));
    const typed = sdkDecodeTyped(encoded as Record<string, temporal.api.common.v1.IPayload>);
    expect(typed.get(keys.caseRef)).toBe('CP-0001');
    expect(typed.get(keys.flags)).toEqual(['overdue']);
    expect(typed.get(keys.nextDeadline)).toEqual(new Date('2025-03-01T09:30:00.250Z'));
    expect(typed.get(keys.overdueCount)).toBe(3);
    expect(typed.get(keys.riskScore)).toBe(0.5);
    expect(typed.get(keys.escalated)).toBe(true);
    expect(typed.get(keys.summary)).toBe('strategy discussion');
    // The deprecated untyped view sees Datetime as a Date too (it relies on the `type` metadata).
    const untyped = sdkDecodeUntyped(encoded as Record<string, temporal.api.common.v1.IPayload>);
    expect(untyped.NextDeadline).toEqual([new Date('2025-03-01T09:30:00.250Z')]);
    // And our own decoder reads them back unchanged.
    expect(decodeSearchAttributes(encoded, registry)).toEqual(values);
  });

  it('writes the registered type into the metadata', () => {
    const encoded = encodeSearchAttributes({ Flags: ['a'], TemporalChangeVersion: ['p-1'] }, registry);
    expect(encoded.Flags.metadata.type.toString()).toBe('KeywordList');
    expect(encoded.Flags.metadata.encoding.toString()).toBe('json/plain');
    expect(encoded.TemporalChangeVersion.metadata.type.toString()).toBe('KeywordList');
  });

  it('leaves out attributes that are no longer registered', () => {
    const local = caseRegistry();
    local.remove('Stage');
    expect(Object.keys(encodeSearchAttributes({ Stage: 'x', CaseRef: 'CP-1' }, local))).toEqual(['CaseRef']);
  });
});

describe('readStoredSearchAttributes', () => {
  it('reads stored payloads into typed values, leaving out unset, unregistered and no-longer-fitting ones', () => {
    const local = caseRegistry();
    const stored = {
      ...typedFromSdk([
        { key: keys.caseRef, value: 'CP-0001' },
        { key: keys.nextDeadline, value: new Date('2025-03-01T00:00:00Z') },
        { key: keys.overdueCount, value: null },
      ]),
      Stage: { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"closed"') },
      TemporalWorkerDeployment: { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"cpflow"') },
    };
    expect(readStoredSearchAttributes(stored, local)).toEqual({
      CaseRef: 'CP-0001',
      NextDeadline: at('2025-03-01T00:00:00Z'),
      Stage: 'closed',
      TemporalWorkerDeployment: 'cpflow',
    });
    local.remove('Stage');
    local.remove('NextDeadline');
    local.register('NextDeadline', 'Int');
    expect(readStoredSearchAttributes(stored, local)).toEqual({
      CaseRef: 'CP-0001',
      TemporalWorkerDeployment: 'cpflow',
    });
    expect(readStoredSearchAttributes(undefined, local)).toEqual({});
  });
});
