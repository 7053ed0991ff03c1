/**
 * The JSON API for case systems: OAuth client-credentials tokens from the identity provider, a referral opened and
 * its deadlines read, cursor pagination, each client kept to its authority, and an OpenAPI 3.1 document generated
 * from the same schemas.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInEngland } from '../../cli/options';
import { dateParts } from '../../domain/calendar';
import { ApiCaseListSchema, ApiCaseSchema } from '../../web/api/schemas';
import { CPFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { referralInput } from '../support/case-fixtures';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { apiToken, CASE_SYSTEM, OTHER_CASE_SYSTEM, type RunningWeb, startWeb, startTestWorker } from './support';

const temporal = useTestEnvironment({
  create: () => createDevServerEnvironment({ searchAttributes: CPFLOW_SEARCH_ATTRIBUTES }),
});
const taskQueue = `api-${randomInt(1_000_000)}`;
const today = todayInEngland();
const year = dateParts(today).year;
const refs = [0, 1, 2].map((i) => `CP-${year}-${String(randomInt(100_000, 300_000) + i * 300_000)}`).sort();
let worker: { stop(): Promise<void> };
let web: RunningWeb;
let token: string;

beforeAll(async () => {
  worker = await startTestWorker(temporal(), taskQueue);
  web = await startWeb(temporal().client, { taskQueue });
  token = await apiToken(web.provider.issuer, CASE_SYSTEM);
}, 180_000);

afterAll(async () => {
  await web?.stop();
  await worker?.stop();
});

const call = (path: string, init: RequestInit = {}, bearer = token) =>
  fetch(`${web.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...init.headers },
  });
const referral = (caseReference: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ ...referralInput({ caseReference, receivedOn: today }), ...overrides });

describe('the JSON API', () => {
  it('opens referrals for a case system with a client-credentials token, and reads their deadlines', async () => {
    for (const ref of refs) {
      const opened = await call('/api/referrals', { method: 'POST', body: referral(ref) });
      expect(opened.status).toBe(201);
      const body = ApiCaseSchema.parse(await opened.json());
      expect(body).toMatchObject({ caseReference: ref, stage: 'referral', authority: 'bedford-borough' });
      expect(body.steps.find((s) => s.id === 'referral-decision')?.status).toBe('due');
    }
    const read = ApiCaseSchema.parse(await (await call(`/api/cases/${refs[0]}`)).json());
    expect(read.steps.some((s) => s.id === 'strategy-discussion' && s.dueDate !== undefined)).toBe(true);
  });

  it('refuses a bad referral naming the field and the rule, never the value, and opens nothing', async () => {
    const ref = `CP-${year}-${String(randomInt(900_000, 999_999))}`;
    const bad = await call('/api/referrals', {
      method: 'POST',
      body: referral(ref, { practitionerId: 'Jane Doe', children: [{ age: 19 }] }),
    });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).not.toContain('Jane');
    const refusals = (JSON.parse(text) as { refusals: { field: string }[] }).refusals.map((r) => r.field);
    expect(refusals).toEqual(expect.arrayContaining(['referral.practitionerId', 'referral.children[0].age']));
    expect((await call(`/api/cases/${ref}`)).status).toBe(404);
    const notJson = await call('/api/referrals', { method: 'POST', body: '{"caseReference": "Jane' });
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).not.toContain('Jane');
  });

  it('pages through the open cases with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const response = await call(`/api/cases?limit=1${cursor === undefined ? '' : `&cursor=${cursor}`}`);
      const body = ApiCaseListSchema.parse(await response.json());
      expect(body.items.length).toBeLessThanOrEqual(1);
      seen.push(...body.items.map((i) => i.caseReference));
      cursor = body.nextCursor;
      if (cursor === undefined) break;
    }
    expect(seen.filter((r) => refs.includes(r))).toEqual(refs);
    expect(seen).toEqual([...seen].sort());
    const badLimit = await call('/api/cases?limit=5000');
    expect(badLimit.status).toBe(400);
    expect(await badLimit.json()).toMatchObject({ refusals: [{ field: 'limit' }] });
  });

  it("keeps a case system to its authority's cases, and refuses calls without a valid token", async () => {
    const luton = await apiToken(web.provider.issuer, OTHER_CASE_SYSTEM);
    expect((await call(`/api/cases/${refs[0]}`, {}, luton)).status).toBe(403);
    const list = ApiCaseListSchema.parse(await (await call('/api/cases', {}, luton)).json());
    expect(list.items.map((i) => i.caseReference)).not.toContain(refs[0]);
    const other = await call('/api/referrals', { method: 'POST', body: referral(`CP-${year}-000001`) }, luton);
    expect(other.status).toBe(403);
    expect((await call(`/api/cases/${refs[0]}`, {}, 'not-a-token')).status).toBe(401);
    expect((await fetch(`${web.url}/api/cases/${refs[0]}`)).status).toBe(401);
    const tampered = `${token.slice(0, -4)}AAAA`;
    expect((await call(`/api/cases/${refs[0]}`, {}, tampered)).status).toBe(401);
  });

  it('publishes an OpenAPI 3.1 document generated from the API’s own schemas', async () => {
    const doc = (await (await fetch(`${web.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/cases', '/api/cases/{caseReference}', '/api/referrals']);
    expect(doc.components.schemas.Referral.required).toEqual(
      expect.arrayContaining(['caseReference', 'authority', 'teamId', 'practitionerId', 'receivedOn']),
    );
    expect(Object.keys(doc.components.schemas.Case.properties ?? {})).toEqual(Object.keys(ApiCaseSchema.shape));
  });
});
