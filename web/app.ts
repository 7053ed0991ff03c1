/**
 * The web service: server-rendered GOV.UK pages for duty teams, practitioners, managers and the LADO, behind an
 * OpenID Connect sign-in, with a JSON API over the same service layer. Roles and scope are enforced here, on the
 * server, for every page and API call (domain/access); every read of a case and every change is written to the
 * access log. Built on Fastify; pages are Nunjucks templates using the GOV.UK Frontend macros.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySecureSession from '@fastify/secure-session';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { z } from 'zod';
import { ROLE_NAMES, type Viewer } from '../domain/access';
import { ukOffsetMs, ukWallClock } from '../domain/calendar';
import { CASE_EVENT_TYPES, CASE_REFERENCE_PATTERN, type CaseEventType, EXTENSION_REASONS } from '../domain/case';
import { parseRecordEvent } from '../domain/case-process';
import type { Refusal } from '../domain/rules';
import {
  CaseNotFoundError,
  CaseNotRunningError,
  CommandRefusedError,
  NoWorkerAnsweredError,
} from '../cli/cases/errors';
import type { CpflowLogger } from '../observability/logger';
import type { AccessEntry, AccessLog } from './access-log';
import { eventFormFields, eventFromForm, type PostedForm, postedDate, sentenceOf } from './forms/event-form';
import { ALLEGED_PERSON_CHOICES, referralErrors, referralFromForm } from './forms/referral-form';
import { OidcSignIn, type OidcSettings } from './identity/oidc-sign-in';
import type { Roster } from './identity/roster';
import { type CasePage, type CaseService, ForbiddenError } from './services/case-service';
import type { CaseView } from '../cli/cases/case-client';
import { openApiDocument } from './api/openapi';
import { ApiListQuerySchema } from './api/schemas';
import type { ApiClient, ApiTokenVerifier } from './identity/api-tokens';
import { timelineSvg } from './timeline-svg';
import { policyBpmn } from './procedure/policy-bpmn';
import { describeOffset } from '../domain/policy';
import { CODEC_PATH_PREFIX, type CodecEndpointOptions, registerCodecEndpoint } from './codec-endpoint';

/** What the web service needs. */
export interface WebAppOptions {
  readonly cases: CaseService;
  readonly roster: Roster;
  readonly accessLog: AccessLog;
  readonly oidc: OidcSettings;
  /** 32 bytes that encrypt and sign the session cookie; a fresh random key signs everyone out at restart. */
  readonly sessionKey?: Buffer;
  /** Send cookies over HTTPS only (true in production behind TLS; false on loopback http). */
  readonly secureCookies: boolean;
  /** How long a sign-in lasts without use, in seconds (default 8 hours). */
  readonly sessionSeconds?: number;
  /** Case systems calling the JSON API with client-credentials tokens. */
  readonly api?: { readonly verifier: ApiTokenVerifier; readonly tokenUrl: string };
  /** Where failures are logged: the error's type and the route, never the request or the error's message. */
  readonly logger?: CpflowLogger;
  /** The remote codec endpoint for the Temporal Web UI (absent: none). */
  readonly codec?: Omit<CodecEndpointOptions, 'audit'>;
}

const GOVUK_DIST = path.dirname(require.resolve('govuk-frontend/package.json'));
const VIEWS = path.join(__dirname, 'views');
const PUBLIC_PATHS = ['/sign-in', '/auth/callback', '/signed-out', '/health', '/api/openapi.json'];

declare module 'fastify' {
  interface FastifyRequest {
    viewer?: Viewer;
    apiClient?: ApiClient;
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    staffId: string;
    idToken: string;
    oidcState: string;
    oidcVerifier: string;
  }
}

/** Builds the web service (not listening yet). */
export async function buildWebApp(options: WebAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 100_000 });
  const signIn = new OidcSignIn(options.oidc);
  const sessionSeconds = options.sessionSeconds ?? 8 * 3600;

  await app.register(fastifyFormbody);
  await app.register(fastifySecureSession, {
    key: options.sessionKey ?? randomBytes(32),
    cookieName: 'cpflow_session',
    expiry: sessionSeconds,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/secure-session' });
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [VIEWS, path.join(GOVUK_DIST, 'dist')],
    options: {
      autoescape: true,
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('sentence', (value: unknown) => sentenceOf(String(value)));
        env.addFilter('roleName', (value: keyof typeof ROLE_NAMES) => ROLE_NAMES[value] ?? value);
        // Instants are shown in UK local time (GMT or BST, as the clocks say), labelled.
        env.addFilter('ukTime', (iso: string) => {
          const clock = ukWallClock(Date.parse(iso));
          return `${clock.date} ${clock.time} ${ukOffsetMs(Date.parse(iso)) === 0 ? 'GMT' : 'BST'}`;
        });
      },
    },
  });
  await app.register(fastifyStatic, { root: path.join(GOVUK_DIST, 'dist', 'govuk', 'assets'), prefix: '/assets/' });
  // bpmn-js draws the procedure diagram in the browser (the page works without it: table and download).
  await app.register(fastifyStatic, {
    root: path.join(path.dirname(require.resolve('bpmn-js/package.json')), 'dist'),
    prefix: '/assets/bpmn-js/',
    decorateReply: false,
    allowedPath: (pathName) =>
      /^\/(bpmn-viewer\.production\.min\.js|assets\/.*\.css|assets\/bpmn-font\/.*)$/.test(pathName),
  });
  app.get('/stylesheets/govuk-frontend.min.css', (_req, reply) =>
    reply.sendFile('govuk-frontend.min.css', path.join(GOVUK_DIST, 'dist', 'govuk')),
  );

  const page = async (reply: FastifyReply, template: string, data: Record<string, unknown>, status = 200) => {
    const request = reply.request;
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header('x-content-type-options', 'nosniff')
      .view(template, {
        viewer: request.viewer,
        csrfToken: request.viewer === undefined ? undefined : reply.generateCsrf(),
        ...data,
      });
  };
  const log = (request: FastifyRequest, entry: Omit<AccessEntry, 'at' | 'staffId' | 'role' | 'path'>) =>
    options.accessLog.write({
      at: new Date().toISOString(),
      staffId:
        request.viewer?.staffId ?? (request.apiClient ? `client:${request.apiClient.clientId}` : '(not signed in)'),
      role: request.viewer?.role ?? (request.apiClient ? 'case-system' : '(none)'),
      path: request.routeOptions.url ?? request.url.split('?')[0],
      ...entry,
    });

  // Who is asking: a valid, unexpired session with a role in the directory, for everything but sign-in.
  app.addHook('preHandler', async (request, reply) => {
    const url = request.url.split('?')[0];
    if (PUBLIC_PATHS.includes(url) || url.startsWith('/assets/') || url.startsWith('/stylesheets/')) return;
    // A CORS preflight carries no credentials; the codec's own CORS rules answer it.
    if (request.method === 'OPTIONS' && url.startsWith(CODEC_PATH_PREFIX)) return;
    const bearer = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (url.startsWith('/api/') && bearer !== undefined) {
      const client = await options.api?.verifier.verify(bearer);
      if (client === undefined) return reply.status(401).send({ error: 'the access token is not valid for this API' });
      request.apiClient = client;
      return;
    }
    const staffId = request.session.get('staffId');
    const viewer = typeof staffId === 'string' ? await options.roster.viewerOf(staffId) : undefined;
    if (viewer === undefined) {
      if (url.startsWith('/api/') || url.startsWith(CODEC_PATH_PREFIX)) {
        return reply.status(401).send({ error: 'sign in first' });
      }
      return reply.redirect('/sign-in');
    }
    request.viewer = viewer;
    request.session.touch();
  });

  app.setErrorHandler(async (error, request, reply) => {
    const api = request.url.startsWith('/api/');
    if (error instanceof ForbiddenError) {
      await log(request, { action: error.action, outcome: 'refused', ...caseOf(request) });
      return api ? reply.status(403).send({ error: 'forbidden' }) : page(reply, 'error.njk', FORBIDDEN, 403);
    }
    if (error instanceof CaseNotFoundError || error instanceof CaseNotRunningError) {
      return api ? reply.status(404).send({ error: 'no such open case' }) : page(reply, 'error.njk', NOT_FOUND, 404);
    }
    if (error instanceof NoWorkerAnsweredError) {
      return api ? reply.status(503).send({ error: 'no worker answered' }) : page(reply, 'error.njk', UNAVAILABLE, 503);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500 && status !== 403) {
      // Fastify's own refusals (a body that is not JSON, too large…): said without echoing what was sent.
      return api
        ? reply.status(status).send({ error: 'the request could not be read' })
        : page(
            reply,
            'error.njk',
            { title: 'Sorry, that request could not be read', body: 'Go back and try again.' },
            status,
          );
    }
    if (status === 403) {
      // A form without its CSRF token, or with a stale one.
      await log(request, { action: 'csrf', outcome: 'refused' });
      return api ? reply.status(403).send({ error: 'forbidden' }) : page(reply, 'error.njk', FORBIDDEN, 403);
    }
    options.logger?.error('web request failed', { status: 500, error });
    return api ? reply.status(500).send({ error: 'failed' }) : page(reply, 'error.njk', FAILED, 500);
  });

  app.get('/health', async () => ({ status: 'ok' }));

  if (options.codec !== undefined) {
    await registerCodecEndpoint(app, {
      ...options.codec,
      audit: (request, action, outcome) => log(request, { action, outcome }),
    });
  }

  app.get('/sign-in', async (request, reply) => {
    const { url, state, verifier } = await signIn.start();
    request.session.set('oidcState', state);
    request.session.set('oidcVerifier', verifier);
    return reply.redirect(url);
  });

  app.get('/auth/callback', async (request, reply) => {
    const state = request.session.get('oidcState');
    const verifier = request.session.get('oidcVerifier');
    if (typeof state !== 'string' || typeof verifier !== 'string') return reply.redirect('/sign-in');
    const signedIn = await signIn.finish(new URL(request.url, options.oidc.redirectUri), state, verifier);
    // A fresh session for the signed-in person: nothing of the sign-in's own survives (no session fixation).
    request.session.regenerate();
    const viewer = await options.roster.viewerOf(signedIn.staffId);
    if (viewer === undefined) return page(reply, 'error.njk', NO_ROLE, 403);
    request.session.set('staffId', signedIn.staffId);
    request.session.set('idToken', signedIn.idToken);
    request.viewer = viewer;
    await log(request, { action: 'sign-in', outcome: 'ok' });
    return reply.redirect('/');
  });

  app.post('/sign-out', { preHandler: app.csrfProtection }, async (request, reply) => {
    const idToken = request.session.get('idToken');
    await log(request, { action: 'sign-out', outcome: 'ok' });
    request.session.delete();
    return reply.redirect(await signIn.endSessionUrl(typeof idToken === 'string' ? idToken : undefined));
  });

  app.get('/signed-out', async (_request, reply) => page(reply, 'signed-out.njk', {}));

  app.get('/', async (request, reply) => {
    const role = request.viewer?.role;
    if (role === 'practitioner') return reply.redirect('/my-work');
    if (role === 'team-manager' || role === 'service-manager') return reply.redirect('/team');
    if (role === 'duty-worker') return reply.redirect('/referrals/new');
    if (role === 'lado') return reply.redirect('/lado');
    return page(reply, 'home.njk', {});
  });

  app.get('/my-work', async (request, reply) => {
    const items = await options.cases.myWork(viewerOf(request));
    await log(request, { action: 'list-my-work', outcome: 'ok' });
    return page(reply, 'my-work.njk', { items, today: options.cases.today() });
  });

  app.get<{ Querystring: Record<string, string> }>('/team', async (request, reply) => {
    const query = TeamQuerySchema.safeParse(request.query);
    const pageNumber = query.success ? query.data.page : 1;
    const { loads, timeliness, asOf } = await options.cases.team(viewerOf(request));
    // Oldest first, a page at a time: a manager over thousands of cases reads the worst first.
    const overdue = loads.flatMap((l) => l.overdue).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
    const pages = Math.max(1, Math.ceil(overdue.length / OVERDUE_PER_PAGE));
    const current = Math.min(pageNumber, pages);
    await log(request, { action: 'list-team', outcome: 'ok' });
    const policy = options.cases.policy;
    return page(reply, 'team.njk', {
      loads,
      overdue: overdue.slice((current - 1) * OVERDUE_PER_PAGE, current * OVERDUE_PER_PAGE),
      overdueCount: overdue.length,
      readAt: new Date(asOf).toISOString(),
      pagination: {
        current,
        pages,
        ...(current > 1 ? { previous: `/team?page=${current - 1}` } : {}),
        ...(current < pages ? { next: `/team?page=${current + 1}` } : {}),
      },
      today: options.cases.today(),
      timeliness: timeliness.map((t) => {
        const step = policy.steps.find((s) => s.id === t.stepId);
        const within = step === undefined ? '' : describeOffset(step.repeat?.every ?? step.offset);
        const done = t.onTime + t.late;
        return {
          ...t,
          label: `${step?.title ?? sentenceOf(t.stepId)} within ${within}`,
          done,
          share: done === 0 ? undefined : Math.round((100 * t.onTime) / done),
        };
      }),
    });
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref', async (request, reply) => {
    const ref = caseReferenceOf(request.params.ref);
    const view = await options.cases.readCase(viewerOf(request), ref);
    await log(request, { action: 'read-case', caseReference: ref, outcome: 'ok' });
    return page(reply, 'case.njk', {
      view,
      svg: timelineSvg(view.timeline),
      waiting: view.timeline.steps.filter((s) => s.status === 'waiting'),
    });
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/record', async (request, reply) => {
    const ref = caseReferenceOf(request.params.ref);
    const view = await options.cases.readCase(viewerOf(request), ref);
    if (view.recordable.length === 0) throw new ForbiddenError('record-event');
    return page(reply, 'choose-event.njk', { view });
  });

  app.get<{ Params: { ref: string; type: string } }>('/cases/:ref/record/:type', async (request, reply) => {
    const ref = caseReferenceOf(request.params.ref);
    const type = eventTypeOf(request.params.type);
    const view = await options.cases.readCase(viewerOf(request), ref);
    if (!view.recordable.includes(type)) throw new ForbiddenError(`record-event ${type}`);
    return page(reply, 'record-event.njk', { view, type, fields: eventFormFields(type), values: {}, errors: [] });
  });

  app.post<{ Params: { ref: string; type: string }; Body: PostedForm }>(
    '/cases/:ref/record/:type',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const ref = caseReferenceOf(request.params.ref);
      const type = eventTypeOf(request.params.type);
      const view = await options.cases.readCase(viewer, ref);
      if (!view.recordable.includes(type)) throw new ForbiddenError(`record-event ${type}`);
      const fields = eventFormFields(type);
      const again = async (refusals: readonly Refusal[]) => {
        await log(request, { action: `record-event ${type}`, caseReference: ref, outcome: 'invalid' });
        return page(
          reply,
          'record-event.njk',
          {
            view,
            type,
            fields,
            values: withoutRefused(request.body ?? {}, errorsOf(refusals, fields)),
            errors: errorsOf(refusals, fields),
          },
          400,
        );
      };
      const parsed = parseRecordEvent(eventFromForm(type, request.body ?? {}, viewer.staffId));
      if (!parsed.ok) return again(parsed.refusals);
      try {
        const receipt = await options.cases.recordEvent(viewer, ref, parsed.value);
        await log(request, { action: `record-event ${type}`, caseReference: ref, outcome: 'ok' });
        return page(reply, 'recorded.njk', { view, type, receipt });
      } catch (err) {
        if (err instanceof CommandRefusedError) return again(err.refusals);
        throw err;
      }
    },
  );

  app.get<{ Params: { ref: string } }>('/cases/:ref/extension', async (request, reply) => {
    const ref = caseReferenceOf(request.params.ref);
    const view = await options.cases.readCase(viewerOf(request), ref);
    if (!view.mayRequestExtension) throw new ForbiddenError('request-extension');
    return page(reply, 'request-extension.njk', extensionForm(view, {}, []));
  });

  app.post<{ Params: { ref: string }; Body: PostedForm }>(
    '/cases/:ref/extension',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const ref = caseReferenceOf(request.params.ref);
      const view = await options.cases.readCase(viewer, ref);
      if (!view.mayRequestExtension) throw new ForbiddenError('request-extension');
      const posted = request.body ?? {};
      try {
        await options.cases.requestExtension(viewer, ref, {
          stepId: String(posted.stepId ?? ''),
          newDueDate: postedDate(posted, 'newDueDate') ?? '',
          reason: String(posted.reason ?? ''),
        });
      } catch (err) {
        if (!(err instanceof CommandRefusedError)) throw err;
        await log(request, { action: 'request-extension', caseReference: ref, outcome: 'invalid' });
        const fields = eventFormFields('extension-requested');
        const errors = errorsOf(err.refusals, fields);
        return page(reply, 'request-extension.njk', extensionForm(view, withoutRefused(posted, errors), errors), 400);
      }
      await log(request, { action: 'request-extension', caseReference: ref, outcome: 'ok' });
      return page(reply, 'done.njk', {
        view,
        title: 'Extension asked for',
        text: 'A manager other than you will be asked to agree it',
      });
    },
  );

  app.post<{ Params: { ref: string; stepId: string } }>(
    '/cases/:ref/extensions/:stepId/agree',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      const ref = caseReferenceOf(request.params.ref);
      const view = await options.cases.readCase(viewerOf(request), ref);
      await options.cases.agreeExtension(viewerOf(request), ref, request.params.stepId);
      await log(request, { action: 'agree-extension', caseReference: ref, outcome: 'ok' });
      return page(reply, 'done.njk', {
        view,
        title: 'Extension agreed',
        text: `The new due date is in the case's plan`,
      });
    },
  );

  app.get('/lado', async (request, reply) => {
    const items = await options.cases.ladoWork(viewerOf(request));
    await log(request, { action: 'list-lado', outcome: 'ok' });
    return page(reply, 'lado.njk', { items, today: options.cases.today() });
  });

  app.get('/referrals/new', async (request, reply) => {
    const viewer = viewerOf(request);
    const practitioners = await options.cases.practitionersFor(viewer);
    return page(reply, 'new-referral.njk', referralPage(viewer, practitioners, {}, []));
  });

  app.post<{ Body: PostedForm }>('/referrals/new', { preHandler: app.csrfProtection }, async (request, reply) => {
    const viewer = viewerOf(request);
    const practitioners = await options.cases.practitionersFor(viewer);
    const posted = request.body ?? {};
    const raw = referralFromForm(posted, { teamId: viewer.teamId ?? '', authority: viewer.authority ?? '' });
    try {
      const opened = await options.cases.openReferral(viewer, raw);
      await log(request, { action: 'open-referral', caseReference: opened.caseReference, outcome: 'ok' });
      return page(reply, 'referral-opened.njk', { opened });
    } catch (err) {
      if (!(err instanceof CommandRefusedError)) throw err;
      await log(request, { action: 'open-referral', outcome: 'invalid' });
      return page(
        reply,
        'new-referral.njk',
        referralPage(viewer, practitioners, posted, referralErrors(err.refusals)),
        400,
      );
    }
  });

  app.get('/procedure', async (request, reply) => {
    await log(request, { action: 'read-procedure', outcome: 'ok' });
    const policy = options.cases.policy;
    return page(reply, 'procedure.njk', {
      policy,
      steps: policy.steps.map((s) => ({
        id: s.id,
        title: s.title,
        track: s.track,
        countsFrom: s.countsFrom,
        deadline: describeOffset(s.offset),
        every: s.repeat === undefined ? undefined : describeOffset(s.repeat.every),
        rule: s.rule,
      })),
    });
  });

  app.get('/procedure.bpmn', async (request, reply) => {
    await log(request, { action: 'download-procedure-bpmn', outcome: 'ok' });
    return reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="${options.cases.policy.id}.bpmn"`)
      .send(await policyBpmn(options.cases.policy));
  });

  app.get('/api/openapi.json', async () => openApiDocument(options.api?.tokenUrl ?? '/token'));

  app.get<{ Querystring: Record<string, string> }>('/api/cases', async (request, reply) => {
    const query = ApiListQuerySchema.safeParse(request.query);
    if (!query.success) {
      return reply.status(400).send({ error: 'refused', refusals: refusalsOf(query.error.issues, 'query') });
    }
    const caller = request.apiClient ?? viewerOf(request);
    const page = await options.cases.listCases(caller, query.data);
    await log(request, { action: 'list-cases', outcome: 'ok' });
    return {
      items: page.items.map((r) => ({
        caseReference: r.caseReference,
        teamId: r.team ?? '',
        practitionerId: r.assignee ?? '',
        openStepDues: [...r.openStepDues],
      })),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    };
  });

  app.get<{ Params: { ref: string } }>('/api/cases/:ref', async (request) => {
    const ref = caseReferenceOf(request.params.ref);
    const view =
      request.apiClient !== undefined
        ? await options.cases.readCaseForClient(request.apiClient, ref)
        : await options.cases.readCase(viewerOf(request), ref);
    await log(request, { action: 'read-case', caseReference: ref, outcome: 'ok' });
    return apiCaseOf(view);
  });

  app.post<{ Body: unknown }>('/api/referrals', async (request, reply) => {
    // Staff open referrals with the form (which carries a CSRF token); the API is for case systems' tokens.
    if (request.apiClient === undefined) throw new ForbiddenError('open-referral (API)');
    try {
      const opened = await options.cases.openReferralForClient(request.apiClient, request.body);
      await log(request, { action: 'open-referral', caseReference: opened.caseReference, outcome: 'ok' });
      const view = await options.cases.readCaseForClient(request.apiClient, opened.caseReference);
      return reply.status(201).send(apiCaseOf(view));
    } catch (err) {
      if (!(err instanceof CommandRefusedError)) throw err;
      await log(request, { action: 'open-referral', outcome: 'invalid' });
      return reply.status(400).send({ error: 'refused', refusals: err.refusals });
    }
  });

  app.get('/api/my-work', async (request) => {
    const items = await options.cases.myWork(viewerOf(request));
    await log(request, { action: 'list-my-work', outcome: 'ok' });
    return { items };
  });

  return app;
}

/** Overdue steps shown per page of *Team*. */
const OVERDUE_PER_PAGE = 100;
const TeamQuerySchema = z.strictObject({ page: z.coerce.number().int().min(1).max(100_000).default(1) });

const FORBIDDEN = { title: 'You cannot see this page', body: 'Your role does not give you access to it.' };
const NOT_FOUND = { title: 'Page not found', body: 'There is no open case with that reference.' };
const UNAVAILABLE = {
  title: 'Sorry, the service is unavailable',
  body: 'No worker answered. Try again in a few minutes.',
};
const FAILED = { title: 'Sorry, there is a problem with the service', body: 'Try again later.' };
const NO_ROLE = {
  title: 'You do not have access to cpflow',
  body: 'You signed in, but the staff directory gives you no role. Ask your team manager.',
};

function viewerOf(request: FastifyRequest): Viewer {
  if (request.viewer === undefined) throw new ForbiddenError('not signed in');
  return request.viewer;
}

/** A case reference from a URL: its fixed format or nothing (never echoed back). */
function caseReferenceOf(value: string): string {
  if (!CASE_REFERENCE_PATTERN.test(value)) throw new CaseNotFoundError('(not a case reference)');
  return value;
}

function eventTypeOf(value: string): CaseEventType {
  const type = CASE_EVENT_TYPES.find((t) => t === value);
  if (type === undefined) throw new ForbiddenError('record-event (unknown type)');
  return type;
}

function caseOf(request: FastifyRequest): { caseReference?: string } {
  const ref = (request.params as { ref?: string } | undefined)?.ref;
  return ref !== undefined && CASE_REFERENCE_PATTERN.test(ref) ? { caseReference: ref } : {};
}

/** A case as the API gives it (ApiCaseSchema). */
function apiCaseOf(view: CaseView) {
  return {
    caseReference: view.status.caseReference,
    stage: view.status.stage,
    open: view.status.open,
    authority: view.status.authority,
    teamId: view.status.teamId,
    practitionerId: view.status.practitionerId,
    today: view.status.today,
    steps: view.timeline.steps.map((s) => ({
      id: s.id,
      title: s.title,
      track: s.track,
      status: s.status,
      ...(s.dueDate === undefined ? {} : { dueDate: s.dueDate }),
      ...(s.waitsFor === undefined ? {} : { waitsFor: s.waitsFor }),
      rule: s.rule,
    })),
  };
}

/** Zod issues as refusals: the field and the rule, never the value. */
function refusalsOf(issues: readonly { path: PropertyKey[]; message: string }[], section: string): Refusal[] {
  return issues.map((i) => ({
    code: 'invalid',
    field: i.path.map(String).join('.') || section,
    rule: i.message,
    section,
  }));
}

/** The new-referral form: the viewer's team and authority, its practitioners, the alleged person's circumstances. */
function referralPage(
  viewer: Viewer,
  practitioners: readonly string[],
  values: PostedForm,
  errors: readonly { href: string; text: string; field: string }[],
) {
  return {
    values: withoutRefused(values, errors),
    errors,
    errorText: Object.fromEntries(errors.map((e) => [e.field, e.text])),
    practitioners,
    choices: ALLEGED_PERSON_CHOICES,
    team: viewer.teamId,
    authority: viewer.authority,
  };
}

/**
 * What was typed, less what was refused: a form shown again keeps the answers that passed and empties those that
 * did not, so a rejected value (a name typed where a reference goes) is never written back.
 */
function withoutRefused(values: PostedForm, errors: readonly { field: string }[]): PostedForm {
  const refused = new Set(errors.map((e) => e.field.replace(/-day$/, '')));
  return Object.fromEntries(
    Object.entries(values).filter(([name]) => !refused.has(name.replace(/-(day|month|year)$/, '').split('.')[0])),
  );
}

/** The extension request form: the case's open steps with a due date, the date, the reasons. */
function extensionForm(view: CasePage, values: PostedForm, errors: readonly FieldError[]) {
  const steps = view.timeline.steps.filter(
    (s) => (s.status === 'due' || s.status === 'overdue') && s.dueDate !== undefined,
  );
  return {
    view,
    values,
    errors,
    errorText: Object.fromEntries(errors.map((e) => [e.field, e.text])),
    steps: steps.map((s) => ({ value: s.id, text: `${s.title} (due ${s.dueDate ?? ''})` })),
    reasons: EXTENSION_REASONS.map((r) => ({ value: r, text: sentenceOf(r) })),
  };
}

/** A refusal as the GOV.UK error summary shows it: a message linking to its field. */
export interface FieldError {
  readonly href: string;
  readonly text: string;
  readonly field: string;
}

function errorsOf(
  refusals: readonly Refusal[],
  fields: readonly { name: string; label: string; kind?: string }[],
): FieldError[] {
  return refusals.map((r) => {
    const name = r.field.replace(/^event\./, '').split('.')[0];
    const field = fields.find((f) => f.name === name);
    // The summary links to the first input of the field (the day of a date, as GOV.UK's date input does).
    const anchor = field === undefined ? 'main-content' : field.kind === 'date' ? `${name}-day` : name;
    return {
      field: field?.name ?? '',
      href: `#${anchor}`,
      text: `${field?.label ?? sentenceOf(name)}: ${r.rule}`,
    };
  });
}
