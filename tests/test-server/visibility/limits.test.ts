import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { describe, expect, it } from 'vitest';
import {
  checkSearchAttributeLimits,
  InvalidSearchAttributeValueError,
  SearchAttributeLimitError,
} from '../../../test-server/visibility';

const summary = defineSearchAttributeKey('Summary', SearchAttributeType.TEXT);

describe('checkSearchAttributeLimits', () => {
  it('accepts ordinary requests', () => {
    expect(() =>
      checkSearchAttributeLimits(encodeUnifiedSearchAttributes(undefined, [{ key: summary, value: 'x'.repeat(2000) }])),
    ).not.toThrow();
    expect(() => checkSearchAttributeLimits(undefined)).not.toThrow();
  });

  it('rejects a value over 2 KiB, naming the attribute', () => {
    const act = () =>
      checkSearchAttributeLimits(encodeUnifiedSearchAttributes(undefined, [{ key: summary, value: 'x'.repeat(2100) }]));
    expect(act).toThrow(InvalidSearchAttributeValueError);
    expect(act).toThrow('search attribute Summary value size 2102 exceeds size limit 2048');
  });

  it('rejects more than 100 attributes', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`Attr${i}`, ['v']]));
    expect(() => checkSearchAttributeLimits(encodeUnifiedSearchAttributes(many))).toThrow(
      new SearchAttributeLimitError('number of search attributes 101 exceeds limit 100'),
    );
  });

  it('rejects more than 40 KiB in total', () => {
    const big = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`Attr${i}`, ['y'.repeat(2000)]]));
    expect(() => checkSearchAttributeLimits(encodeUnifiedSearchAttributes(big))).toThrow(
      /^total size of search attributes \d+ exceeds size limit 40960$/,
    );
  });
});
