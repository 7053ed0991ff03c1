/**
 * Tracing a case on Temporal's dev server: a referral opened through a client with the tracing interceptors,
 * a worker whose workflow bundle carries the workflow interceptors, spans exported to an in-memory exporter
 * through cpflow's pseudonymising exporter. One trace joins the client's start, the workflow's run and the
 * activities it schedules and runs; no span carries anything of the referral but the case reference.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createActivities, type Mailer } from '../../activities';
import { openCase } from '../../cli/cases/case-client';
import { caseCalendarData } from '../../cli/cases/inputs';
import { loadPolicy } from '../../config/policy-loader';
import { fromEpochDay, toEpochDay, ukDateOf } from '../../domain/calendar';
import { InMemorySentLog } from '../../mail/sent-log';
import { SyntheticStaffDirectory } from '../../mail/staff-directory';
import { SAFE_SPAN_ATTRIBUTES, startTracing } from '../../observability/tracing';
import { createCpflowWorker } from '../../worker/worker';
import { CASE_WORKFLOW_TYPE } from '../../workflows/case/messages';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { testReferral } from '../support/case-fixtures';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';

const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});
const exporter = new InMemorySpanExporter();
const tracing = startTracing({ exporter, serviceName: 'cpflow-test', batch: false });

/** Every string of a span that could carry data: name, attribute keys and values, events, status, links. */
function textOf(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
    links: span.links,
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('tracing', () => {
  it('follows a case from the client’s start through the workflow to its activities, without the referral', async () => {
    const sent: string[] = [];
    const mailer: Mailer = {
      sendMail: async (message) => {
        sent.push(message.messageId);
        return {};
      },
    };
    const worker = await createCpflowWorker({
      connection: temporal().nativeConnection,
      namespace: 'default',
      activities: createActivities({
        mailer,
        sentLog: new InMemorySentLog(),
        directory: new SyntheticStaffDirectory(),
      }),
      tracing,
    });
    const client = new Client({
      connection: temporal().connection,
      interceptors: { workflow: tracing.clientInterceptors },
    });
    // Received ten days ago: the case sends the escalations it owes at once.
    const receivedOn = fromEpochDay(toEpochDay(ukDateOf(Date.now())) - 10);
    const eventDay = fromEpochDay(toEpochDay(receivedOn) - 2);
    const referral = testReferral({
      caseReference: 'CP-2026-000777',
      receivedOn,
      children: [{ age: 7 }, { age: 13 }],
      police: {
        reference: 'NOR/26/918273',
        arrestedOn: eventDay,
        devicesSeized: { count: 3, seizedOn: eventDay },
        preChargeBailGrantedOn: receivedOn,
      },
    });
    const runActivity = 'RunActivity:sendNotifications';
    await worker.runUntil(async () => {
      await openCase(client, { referral, policy: loadPolicy(), calendar: caseCalendarData(receivedOn) });
      // The workflow's spans reach the exporter through a sink, after the activity's own: wait for each.
      const wanted = [runActivity, 'StartActivity:sendNotifications', 'StartChildWorkflow:forensicWaitWorkflow'];
      await waitFor('the escalations and their spans', () =>
        wanted.every((name) => exporter.getFinishedSpans().some((s) => s.name === name)),
      );
    });
    await tracing.forceFlush();
    expect(sent.length).toBeGreaterThan(0);

    const spans = exporter.getFinishedSpans();
    const named = (name: string) => spans.filter((s) => s.name === name);
    const [start] = named(`StartWorkflow:${CASE_WORKFLOW_TYPE}`);
    const [scheduled] = named('StartActivity:sendNotifications');
    const [executed] = named(runActivity);
    const [child] = named('StartChildWorkflow:forensicWaitWorkflow');
    for (const span of [start, scheduled, executed, child]) expect(span).toBeDefined();
    // One trace: the client's start → the workflow's run (its span ends with the case, so it is not exported
    // yet) → the activity it scheduled and the child it started → the activity's run on the worker.
    const traceId = start.spanContext().traceId;
    for (const span of [scheduled, executed, child]) expect(span.spanContext().traceId).toBe(traceId);
    const runSpanId = scheduled.parentSpanId;
    expect(runSpanId).toBeDefined();
    expect(child.parentSpanId).toBe(runSpanId);
    expect(executed.parentSpanId).toBe(scheduled.spanContext().spanId);
    expect(start.attributes).toMatchObject({ temporalWorkflowId: 'CP-2026-000777' });
    expect(executed.attributes).toMatchObject({ temporalWorkflowId: 'CP-2026-000777' });

    // Nothing of the referral but its reference: not the police reference, the dates, the authority, the ages.
    const text = spans.map(textOf).join('\n');
    for (const value of [
      'NOR/26/918273',
      receivedOn,
      eventDay,
      referral.authority,
      referral.practitionerId,
      '"age"',
      'livesWithChildren',
    ]) {
      expect(text).not.toContain(value);
    }
    for (const span of spans) {
      for (const key of Object.keys(span.attributes)) expect(SAFE_SPAN_ATTRIBUTES).toContain(key);
    }
  }, 120_000);
});
