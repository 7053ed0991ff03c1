import type { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { registerSearchAttributes, SearchAttributeConflictError } from '../../worker/search-attributes';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';

/** A fresh dev server (nothing registered) for every test. */
const temporalEnv = useTestEnvironment({ create: () => createDevServerEnvironment(), perTest: true });

function freshServer(): Connection {
  return temporalEnv().connection;
}

describe('cpflow search attributes', () => {
  it('are the agreed keys, each with its type, and nothing personal', () => {
    expect(CPFLOW_SEARCH_ATTRIBUTES.map((key) => [key.name, key.type])).toEqual([
      ['CpflowStage', 'KEYWORD'],
      ['CpflowTeam', 'KEYWORD'],
      ['CpflowAssignee', 'KEYWORD'],
      ['CpflowNextStep', 'KEYWORD'],
      ['CpflowNextDue', 'DATETIME'],
      ['CpflowCaseOpen', 'BOOL'],
      ['CpflowOpenStepDues', 'KEYWORD_LIST'],
      ['CpflowEarliestDue', 'DATETIME'],
      ['CpflowTimeliness', 'KEYWORD_LIST'],
    ]);
  });

  it('registers every key with its type, and a second registration changes nothing', async () => {
    const connection = freshServer();
    const first = await registerSearchAttributes(connection, 'default');
    expect(first).toEqual({ added: CPFLOW_SEARCH_ATTRIBUTES.map((k) => k.name), existing: [] });
    const second = await registerSearchAttributes(connection, 'default');
    expect(second).toEqual({ added: [], existing: CPFLOW_SEARCH_ATTRIBUTES.map((k) => k.name) });

    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    const T = temporal.api.enums.v1.IndexedValueType;
    expect(customAttributes).toMatchObject({
      CpflowStage: T.INDEXED_VALUE_TYPE_KEYWORD,
      CpflowNextDue: T.INDEXED_VALUE_TYPE_DATETIME,
      CpflowCaseOpen: T.INDEXED_VALUE_TYPE_BOOL,
      CpflowOpenStepDues: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
      CpflowEarliestDue: T.INDEXED_VALUE_TYPE_DATETIME,
      CpflowTimeliness: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    });
  });

  it('refuses a name already registered with another type, naming it', async () => {
    const connection = freshServer();
    await registerSearchAttributes(connection, 'default', [
      defineSearchAttributeKey('CpflowStage', SearchAttributeType.INT),
    ]);
    await expect(registerSearchAttributes(connection, 'default')).rejects.toThrow(SearchAttributeConflictError);
    await expect(registerSearchAttributes(connection, 'default')).rejects.toThrow(
      /CpflowStage is registered in namespace default as INDEXED_VALUE_TYPE_INT, but cpflow needs INDEXED_VALUE_TYPE_KEYWORD/,
    );
  });
});
