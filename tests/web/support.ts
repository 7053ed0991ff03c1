/**
 * The web service as its users reach it, for the tests: Temporal's dev server, a cpflow worker, the local OpenID
 * provider and the web service on loopback, and a small browser-like HTTP client that keeps each site's cookies
 * and follows redirects — so every sign-in goes through the real provider.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { InMemorySentLog } from '../../mail/sent-log';
import { type StaffDirectory, SyntheticStaffDirectory } from '../../mail/staff-directory';
import { SimulatedMailer } from '../../simulation/simulated-mailer';
import { createCpflowWorker } from '../../worker/worker';
import type { FastifyInstance } from 'fastify';
import { todayInEngland } from '../../cli/options';
import { loadPolicy } from '../../config/policy-loader';
import type { IsoDate } from '../../domain/calendar';
import { MemoryAccessLog } from '../../web/access-log';
import { buildWebApp } from '../../web/app';
import type { CodecEndpointOptions } from '../../web/codec-endpoint';
import { type LocalIdentityProvider, startLocalIdentityProvider } from '../../web/identity/local-provider';
import { memoryRoster } from '../../web/identity/roster';
import { ApiTokenVerifier } from '../../web/identity/api-tokens';
import { CaseService } from '../../web/services/case-service';
import EXAMPLE_DIRECTORY from '../../mail/directory.example.json';

/** The trial password of the local provider in the tests. */
export const PASSWORD = 'correct horse battery staple';

/** A cpflow worker running on `taskQueue` (emails to a simulated mailer); `stop()` shuts it down. */
export async function startTestWorker(
  env: { nativeConnection: NativeConnection },
  taskQueue: string,
  directory: StaffDirectory = new SyntheticStaffDirectory(),
): Promise<{ stop(): Promise<void> }> {
  const worker = await createCpflowWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({
      mailer: new SimulatedMailer(),
      sentLog: new InMemorySentLog(),
      directory,
    }),
  });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running.catch(() => undefined);
    },
  };
}

/** A case system of Bedford Borough calling the API, and one of Luton. */
export const CASE_SYSTEM = { clientId: 'case-system-bedford', clientSecret: randomBytes(16).toString('hex') };
export const OTHER_CASE_SYSTEM = { clientId: 'case-system-luton', clientSecret: randomBytes(16).toString('hex') };

/** An API access token for a case system, from the provider's token endpoint (client credentials). */
export async function apiToken(issuer: string, client: { clientId: string; clientSecret: string }): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'cpflow.api' }).toString(),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (body.access_token === undefined) {
    throw new Error(`no token: ${body.error ?? response.status} ${body.error_description ?? ''}`);
  }
  return body.access_token;
}

/** A running web service and its provider. */
export interface RunningWeb {
  readonly url: string;
  readonly accessLog: MemoryAccessLog;
  readonly provider: LocalIdentityProvider;
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

/** Starts the provider and the web service over `client`. */
export async function startWeb(
  client: Client,
  options: {
    today?: () => IsoDate;
    sessionSeconds?: number;
    taskQueue?: string;
    codec?: Omit<CodecEndpointOptions, 'audit'>;
  } = {},
): Promise<RunningWeb> {
  const roster = memoryRoster(EXAMPLE_DIRECTORY);
  const accessLog = new MemoryAccessLog();
  // The web service's address is needed by the provider (redirect URI) before it listens: take a free port first.
  const probe = (await import('node:net')).createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const oidcClient = {
    clientId: 'cpflow-web',
    clientSecret: randomBytes(16).toString('hex'),
    redirectUri: `${url}/auth/callback`,
    postLogoutRedirectUri: `${url}/signed-out`,
  };
  const provider = await startLocalIdentityProvider({
    staffIds: () => roster.staffIds(),
    password: PASSWORD,
    client: oidcClient,
    machineClients: [CASE_SYSTEM, OTHER_CASE_SYSTEM],
  });
  const cases = new CaseService({
    client,
    roster,
    policy: loadPolicy('pan-bedfordshire'),
    today: options.today ?? todayInEngland,
    ...(options.taskQueue === undefined ? {} : { taskQueue: options.taskQueue }),
  });
  const app = await buildWebApp({
    cases,
    roster,
    accessLog,
    oidc: { issuer: provider.issuer, ...oidcClient },
    api: {
      verifier: new ApiTokenVerifier(provider.issuer, [
        { clientId: CASE_SYSTEM.clientId, authority: 'bedford-borough' },
        { clientId: OTHER_CASE_SYSTEM.clientId, authority: 'luton' },
      ]),
      tokenUrl: `${provider.issuer}/token`,
    },
    secureCookies: false,
    ...(options.sessionSeconds === undefined ? {} : { sessionSeconds: options.sessionSeconds }),
    ...(options.codec === undefined ? {} : { codec: options.codec }),
  });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    accessLog,
    provider,
    app,
    stop: async () => {
      await app.close();
      await provider.stop();
    },
  };
}

/** One response as the browser saw it. */
export interface Page {
  readonly status: number;
  readonly url: string;
  readonly body: string;
}

/** A browser without JavaScript: keeps cookies per host:port, follows redirects, submits forms. */
export class HttpBrowser {
  readonly #cookies = new Map<string, Map<string, string>>();

  async get(url: string): Promise<Page> {
    return this.#request(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string | string[]>): Promise<Page> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.#request(url, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Signs in through the provider as `staffId`; returns the page landed on. */
  async signIn(base: string, staffId: string, password = PASSWORD): Promise<Page> {
    const login = await this.get(`${base}/sign-in`);
    const action = /<form method="post" action="([^"]+)"/.exec(login.body)?.[1];
    if (action === undefined) throw new Error(`no sign-in form at ${login.url} (${login.status})`);
    return this.post(new URL(action.replace(/&amp;/g, '&'), login.url).href, { staffId, password });
  }

  /** The CSRF token of the last page's forms. */
  static csrfOf(page: Page): string {
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (token === undefined) throw new Error(`no CSRF token on ${page.url}`);
    return token;
  }

  /** The Cookie header this browser sends to `url`'s site. */
  cookieHeader(url: string): string {
    return [...this.#jar(new URL(url))].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async #request(url: string, init: RequestInit, hops = 0): Promise<Page> {
    if (hops > 15) throw new Error('too many redirects');
    const target = new URL(url);
    const jar = this.#jar(target);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie === '' ? {} : { cookie }) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      // 303 (and 302 after a form, as browsers do) become a GET; 307/308 keep the method.
      const keep = response.status === 307 || response.status === 308;
      return this.#request(new URL(location, target).href, keep ? init : { method: 'GET' }, hops + 1);
    }
    return { status: response.status, url: target.href, body: await response.text() };
  }

  #jar(url: URL): Map<string, string> {
    let jar = this.#cookies.get(url.host);
    if (jar === undefined) {
      jar = new Map();
      this.#cookies.set(url.host, jar);
    }
    return jar;
  }
}
