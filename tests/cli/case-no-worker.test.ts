/** The case commands when Temporal runs but no cpflow worker does (command functions with an injected client). */
import { describe, expect, it } from 'vitest';
import { openCase, recordCaseEvent } from '../../cli/cases/case-client';
import { CaseAlreadyExistsError, CaseNotFoundError, NoWorkerAnsweredError } from '../../cli/cases/errors';
import { caseCalendarData, readReferralFile } from '../../cli/cases/inputs';
import { loadPolicy } from '../../config/policy-loader';
import { parseCaseEvent } from '../../domain/case';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { ROOT } from './support/run-cli';

const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});

describe('case commands without a worker', () => {
  it('opens the case but says no worker answered, then refuses the same reference again', async () => {
    const client = temporal().client;
    const referral = readReferralFile(`${ROOT}/examples/referral.json`);
    const input = { referral, policy: loadPolicy(), calendar: caseCalendarData(referral.receivedOn) };
    const opening = openCase(client, input, { timeoutMs: 1500 });
    await expect(opening).rejects.toBeInstanceOf(NoWorkerAnsweredError);
    await expect(opening).rejects.toThrow(
      `case ${referral.caseReference} was opened, but no cpflow worker answered the timeline query within 2 s; is \`npm start\` running?`,
    );
    const described = await client.workflow.getHandle(referral.caseReference).describe();
    expect(described.status.name).toBe('RUNNING');
    await expect(openCase(client, input, { timeoutMs: 1500 })).rejects.toBeInstanceOf(CaseAlreadyExistsError);
  }, 30_000);

  it('names a case that does not exist', async () => {
    const client = temporal().client;
    const event = parseCaseEvent({ type: 'visit', occurredOn: '2026-11-20', recordedBy: 'sw-0042' });
    await expect(recordCaseEvent(client, 'CP-2026-000999', event, { timeoutMs: 1500 })).rejects.toBeInstanceOf(
      CaseNotFoundError,
    );
  }, 30_000);
});
