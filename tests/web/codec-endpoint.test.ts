/**
 * The remote codec endpoint the Temporal Web UI uses to show cpflow's encrypted histories: behind the web
 * service's sign-in, for people who may read every case of the namespace only, callable from the Temporal UI's
 * origin only, every use in the access log.
 */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../client/payload-codec';
import { cpflowDataConverter } from '../../client/temporal-settings';
import { createDevServerEnvironment } from '../support/temporal';
import { useTestEnvironment } from '../support/test-environment';
import { HttpBrowser, type RunningWeb, startWeb } from './support';

// Signing in lands on the person's home page, which reads their cases from Temporal.
const temporal = useTestEnvironment({ create: () => createDevServerEnvironment() });

const UI = 'http://127.0.0.1:8233';
const keys = { currentKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
const codec = new EncryptionCodec(keys);
let web: RunningWeb;

beforeAll(async () => {
  web = await startWeb(temporal().client, {
    codec: {
      dataConverter: cpflowDataConverter(keys),
      namespace: 'default',
      authorities: ['bedford-borough'],
      allowedOrigin: UI,
    },
  });
}, 60_000);

afterAll(async () => web?.stop());

const json = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? []).toString('base64'),
  })),
});

async function post(path: string, body: unknown, cookie?: string, headers: Record<string, string> = {}) {
  return fetch(`${web.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
    body: JSON.stringify(body),
  });
}

const sessions = new Map<string, string>();
async function signedIn(staffId: string): Promise<string> {
  if (!sessions.has(staffId)) {
    const browser = new HttpBrowser();
    await browser.signIn(web.url, staffId);
    sessions.set(staffId, browser.cookieHeader(web.url));
  }
  return sessions.get(staffId) as string;
}

describe('the codec endpoint for the Temporal Web UI', () => {
  const referral = { caseReference: 'CP-2026-000123', police: { reference: '40/123456/26' } };

  it('decodes a sealed payload for an auditor, and seals none', async () => {
    const sealed = await codec.encode([defaultPayloadConverter.toPayload(referral)]);
    expect(Buffer.from(sealed[0].data ?? []).includes('40/123456/26')).toBe(false);
    const cookie = await signedIn('au-0001');
    const decoded = await post('/codec/decode', json(sealed), cookie, { 'x-namespace': 'default', origin: UI });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI);
    expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await decoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(JSON.parse(Buffer.from(body.payloads[0].data, 'base64').toString())).toEqual(referral);

    // Nobody may seal payloads through it: that would forge what the workflows accept as cpflow's own.
    expect((await post('/codec/encode', body, cookie)).status).toBe(404);
    expect(
      web.accessLog.entries.filter((e) => e.action.startsWith('codec-')).map((e) => [e.staffId, e.action, e.outcome]),
    ).toEqual([['au-0001', 'codec-decode', 'ok']]);
  }, 60_000);

  it('lets a service manager decode when the namespace serves only their authority', async () => {
    const sealed = await codec.encode([defaultPayloadConverter.toPayload(referral)]);
    expect((await post('/codec/decode', json(sealed), await signedIn('sm-0101'))).status).toBe(200);
    // Luton's service manager may not read Bedford Borough's cases.
    expect((await post('/codec/decode', json(sealed), await signedIn('sm-0301'))).status).toBe(403);
  }, 60_000);

  it('refuses anyone not signed in (401) and people who may not read every case (403)', async () => {
    const sealed = json(await codec.encode([defaultPayloadConverter.toPayload(referral)]));
    const anonymous = await post('/codec/decode', sealed);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('40/123456/26');
    for (const staffId of ['sw-0042', 'tm-007']) {
      const refused = await post('/codec/decode', sealed, await signedIn(staffId));
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain('40/123456/26');
    }
  }, 60_000);

  it('answers a CORS preflight from the Temporal UI only', async () => {
    const preflight = (origin: string) =>
      fetch(`${web.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const fromUi = await preflight(UI);
    expect(fromUi.status).toBeLessThan(300);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI);
    expect(fromUi.headers.get('access-control-allow-credentials')).toBe('true');
    const elsewhere = await preflight('https://attacker.example');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  }, 60_000);

  it('refuses another namespace and malformed payloads, naming the rule, never echoing them', async () => {
    const cookie = await signedIn('au-0001');
    const other = await post('/codec/decode', { payloads: [] }, cookie, { 'x-namespace': 'other' });
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({ error: 'X-Namespace: must be default' });
    const malformed = await post('/codec/decode', { payloads: [{ data: 'not base64 at all!' }] }, cookie);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toContain('not base64');
    const tampered = await codec.encode([defaultPayloadConverter.toPayload(referral)]);
    (tampered[0].data as Uint8Array)[20] ^= 1;
    const failed = await post('/codec/decode', json(tampered), cookie);
    expect(failed.status).toBe(400);
    expect(await failed.json()).toEqual({ error: 'a payload encrypted with key "k1" failed its integrity check' });
  }, 60_000);
});
