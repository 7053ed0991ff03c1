/**
 * A real OpenID Connect provider on loopback (`oidc-provider`), for `npm start` and the tests: the people it signs
 * in are those the staff directory gives a role, so sign-in is exercised end to end, never mocked. An authority
 * points cpflow at its own provider (usually Microsoft Entra ID) instead (`CPFLOW_OIDC_ISSUER`).
 *
 * Local trial only: everyone signs in with their staff id and the one password it is started with.
 */
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { STAFF_ID_PATTERN } from '../../domain/case';
import { escapeHtml } from '../html';
import { API_AUDIENCE, API_SCOPE } from './api-tokens';

/** The GOV.UK Frontend stylesheet, served by the provider itself for its own pages. */
const GOVUK_CSS = path.join(
  path.dirname(require.resolve('govuk-frontend/package.json')),
  'dist',
  'govuk',
  'govuk-frontend.min.css',
);
const STYLESHEET_PATH = '/stylesheets/govuk-frontend.min.css';

/** A client the provider knows: the cpflow web service. */
export interface LocalClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
}

/** Options of {@link startLocalIdentityProvider}. */
export interface LocalProviderOptions {
  /** Staff ids that may sign in (those with a role in the directory), read at each sign-in. */
  readonly staffIds: () => Promise<ReadonlySet<string>>;
  readonly password: string;
  readonly client: LocalClient;
  /** Case systems that get API tokens with the client credentials grant. */
  readonly machineClients?: readonly { readonly clientId: string; readonly clientSecret: string }[];
  /** Port on 127.0.0.1; 0 = any free port. */
  readonly port?: number;
}

/** A running local provider. */
export interface LocalIdentityProvider {
  readonly issuer: string;
  stop(): Promise<void>;
}

/** Starts the provider on 127.0.0.1. */
export async function startLocalIdentityProvider(options: LocalProviderOptions): Promise<LocalIdentityProvider> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, configuration(options));
  provider.use(interactions(provider, options));
  server.on('request', provider.callback());
  return { issuer, stop: () => closeServer(server) };
}

/**
 * Where the local provider keeps its sign-in sessions, codes and grants: this process's memory, by design — a
 * local trial's sign-ins need not outlive it (a restart asks people to sign in again).
 */
class ProcessMemoryStore {
  static readonly #items = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();

  constructor(private readonly model: string) {}

  #key(id: string) {
    return `${this.model}:${id}`;
  }

  upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void> {
    ProcessMemoryStore.#items.set(this.#key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
    return Promise.resolve();
  }

  find(id: string): Promise<Record<string, unknown> | undefined> {
    const item = ProcessMemoryStore.#items.get(this.#key(id));
    if (item === undefined || item.expiresAt <= Date.now()) {
      ProcessMemoryStore.#items.delete(this.#key(id));
      return Promise.resolve(undefined);
    }
    return Promise.resolve(item.payload);
  }

  findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    for (const [key, item] of ProcessMemoryStore.#items) {
      if (key.startsWith(`${this.model}:`) && item.payload.uid === uid)
        return this.find(key.slice(this.model.length + 1));
    }
    return Promise.resolve(undefined);
  }

  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  async consume(id: string): Promise<void> {
    const payload = await this.find(id);
    if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
  }

  destroy(id: string): Promise<void> {
    ProcessMemoryStore.#items.delete(this.#key(id));
    return Promise.resolve();
  }

  revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, item] of ProcessMemoryStore.#items)
      if (item.payload.grantId === grantId) ProcessMemoryStore.#items.delete(key);
    return Promise.resolve();
  }
}

function configuration(options: LocalProviderOptions): Configuration {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    adapter: ProcessMemoryStore,
    clients: [
      {
        client_id: options.client.clientId,
        client_secret: options.client.clientSecret,
        redirect_uris: [options.client.redirectUri],
        post_logout_redirect_uris: [options.client.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
      ...(options.machineClients ?? []).map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        id_token_signed_response_alg: 'ES256' as const,
      })),
    ],
    scopes: ['openid', API_SCOPE],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'local-1', alg: 'ES256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      clientCredentials: { enabled: true },
      // API tokens are JWTs for cpflow's API, so the web service checks them with the provider's published keys.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: API_SCOPE,
          audience: API_AUDIENCE,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    // Staff sign in to cpflow itself: no consent screen, the grant covers `openid` only.
    loadExistingGrant: async (ctx) => {
      const { Grant } = ctx.oidc.provider;
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (clientId === undefined || accountId === undefined) return undefined;
      const existing = ctx.oidc.session?.grantIdFor(clientId);
      if (existing !== undefined) {
        const found = await Grant.find(existing);
        if (found !== undefined) return found;
      }
      const grant = new Grant({ clientId, accountId });
      grant.addOIDCScope('openid');
      await grant.save();
      return grant;
    },
    ttl: {
      Session: 8 * 3600,
      Interaction: 600,
      Grant: 8 * 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    // The error's code only: a provider's messages can repeat what the request carried.
    renderError: (ctx, out) => {
      ctx.type = 'html';
      const code = typeof out.error === 'string' && /^[a-z_]{1,64}$/.test(out.error) ? out.error : 'server_error';
      ctx.body = page(
        'Sign-in failed',
        `<p class="govuk-body">The sign-in could not go on (${code}). Start again from cpflow.</p>`,
      );
    },
  };
}

/** The sign-in page and its form: staff id and password, checked against the directory and the trial password. */
function interactions(provider: Provider, options: LocalProviderOptions) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    if (ctx.path === STYLESHEET_PATH) {
      ctx.type = 'text/css';
      ctx.set('cache-control', 'public, max-age=3600');
      ctx.body = await readFile(GOVUK_CSS);
      return undefined;
    }
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
    if (match === null) return next();
    ctx.set('cache-control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== match[1]) ctx.throw(400, 'interaction mismatch');
    if (ctx.method === 'GET' && match[2] === undefined) {
      ctx.type = 'html';
      ctx.body = loginPage(details.uid);
      return undefined;
    }
    if (ctx.method !== 'POST' || match[2] === undefined) return ctx.throw(405);
    const form = new URLSearchParams(await readBody(ctx.req));
    const staffId = form.get('staffId') ?? '';
    const password = form.get('password') ?? '';
    const known = STAFF_ID_PATTERN.test(staffId) && (await options.staffIds()).has(staffId);
    if (!known || !samePassword(password, options.password)) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage(details.uid, 'The staff id or password is not right');
      return undefined;
    }
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { login: { accountId: staffId } },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
    return undefined;
  };
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) throw new Error('sign-in form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function loginPage(uid: string, error?: string): string {
  const summary =
    error === undefined
      ? ''
      : `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
<h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body">
<ul class="govuk-list govuk-error-summary__list"><li><a href="#staffId">${escapeHtml(error)}</a></li></ul></div></div></div>`;
  return page(
    'Sign in to cpflow',
    `${summary}<form method="post" action="/interaction/${escapeHtml(uid)}/login" novalidate>
<div class="govuk-form-group"><label class="govuk-label" for="staffId">Staff id</label>
<div class="govuk-hint" id="staffId-hint">For example, sw-0042</div>
<input class="govuk-input govuk-input--width-10" id="staffId" name="staffId" type="text" autocomplete="username" spellcheck="false" aria-describedby="staffId-hint"></div>
<div class="govuk-form-group"><label class="govuk-label" for="password">Password</label>
<input class="govuk-input govuk-input--width-20" id="password" name="password" type="password" autocomplete="current-password"></div>
<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button></form>`,
  );
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Sign out',
    `${form}<p class="govuk-body">You are signing out of the local sign-in service.</p>
<button type="submit" class="govuk-button" form="op.logoutForm" value="yes" name="logout">Sign out</button>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('You have signed out', '<p class="govuk-body">You can close this window.</p>');
}

/** A bare GOV.UK-styled page (the provider serves no stylesheet of its own: the text stays readable without it). */
function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en" class="govuk-template"><head><meta charset="utf-8"><title>${escapeHtml(title)} – cpflow sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${STYLESHEET_PATH}"></head>
<body class="govuk-template__body"><main class="govuk-main-wrapper" id="main-content"><div class="govuk-width-container">
<h1 class="govuk-heading-l">${escapeHtml(title)}</h1>${body}</div></main></body></html>`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
