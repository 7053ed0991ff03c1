/**
 * A cron run names the run before it, as a continue-as-new does, but repeats the client's own input: a client that
 * starts a case on a cron schedule with state of its choosing has every run refused, not just the first. On the dev
 * server (a real cron schedule, one run a minute), so this takes a little over a minute.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { InMemorySentLog } from '../../mail/sent-log';
import { SyntheticStaffDirectory } from '../../mail/staff-directory';
import { CASE_OPENING_REFUSED } from '../../workflows/case/messages';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { caseInput, caseWorkflowBundle, RecordingMailer, referral } from './support';
import { ukDateOf } from '../../domain/calendar';

const temporal = useTestEnvironment({ create: () => createDevServerEnvironment() });
const taskQueue = `cron-${randomUUID()}`;
const mailer = new RecordingMailer({ stampTimes: false });
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  worker = await Worker.create({
    connection: temporal().nativeConnection,
    taskQueue,
    workflowBundle: await caseWorkflowBundle(),
    activities: createActivities({ mailer, sentLog: new InMemorySentLog(), directory: new SyntheticStaffDirectory() }),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
});

describe('a case on a cron schedule', () => {
  it('refuses the carried state of every run, the cron runs included', async () => {
    const workflowId = 'CP-2026-000777';
    const input = { ...caseInput(referral(ukDateOf(Date.now()), {}, workflowId)), carried: { stage: 'closed' } };
    const handle = await temporal().client.workflow.start('caseWorkflow', {
      taskQueue,
      workflowId,
      args: [input],
      cronSchedule: '* * * * *',
    });
    const failed: string[] = [];
    const deadline = Date.now() + 150_000;
    while (failed.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      failed.length = 0;
      for await (const run of temporal().client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        if (run.status.name !== 'FAILED') continue;
        const history = await temporal().client.workflow.getHandle(workflowId, run.runId).fetchHistory();
        const events = history.events ?? [];
        const started = events[0]?.workflowExecutionStartedEventAttributes;
        const failure = events.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
        failed.push(
          `${started?.continuedExecutionRunId ? 'cron run' : 'first run'}: ${failure?.applicationFailureInfo?.type}`,
        );
      }
    }
    await handle.terminate('test over');
    expect(failed.sort()).toEqual([`cron run: ${CASE_OPENING_REFUSED}`, `first run: ${CASE_OPENING_REFUSED}`]);
    expect(mailer.sent).toEqual([]);
  }, 200_000);
});
