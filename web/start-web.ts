/**
 * Starts the web service for `npm start`: the sign-in (the authority's OpenID provider from `CPFLOW_OIDC_*`, else
 * the local provider on loopback with the directory's people), the service layer over the case's Temporal, and
 * the pages on 127.0.0.1 (`CPFLOW_WEB_PORT`, default 8080 or a free port; `CPFLOW_WEB_HOST` to listen on another
 * address, e.g. 0.0.0.0 inside a container whose port is published).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { CpflowLogger } from '../observability/logger';
import type { DataConverter } from '@temporalio/common';
import { connectionOptionsOf, type TemporalSecurity } from '../client/temporal-settings';
import { todayInEngland } from '../cli/options';
import { loadPolicy } from '../config/policy-loader';
import { preferredOrFreePort } from '../worker/ports';
import { FileAccessLog } from './access-log';
import { buildWebApp } from './app';
import { startLocalIdentityProvider } from './identity/local-provider';
import { type ApiClient, ApiTokenVerifier } from './identity/api-tokens';
import type { OidcSettings } from './identity/oidc-sign-in';
import { fileRoster } from './identity/roster';
import type { WebSettings } from './web-settings';
import { CaseService } from './services/case-service';

/** The directory `npm start` signs people in from when none is configured. */
export const EXAMPLE_DIRECTORY = path.resolve(__dirname, '../mail/directory.example.json');

/** A running web service. */
export interface RunningWebService {
  readonly url: string;
  /** How people sign in, for the start-up summary. */
  readonly signIn: string;
  stop(): Promise<void>;
}

/** Options of {@link startWebService}. */
export interface StartWebOptions {
  readonly env: NodeJS.ProcessEnv;
  /** The checked settings (`readWebSettings`, read before anything started). */
  readonly settings: WebSettings;
  readonly dataDir: string;
  readonly temporalAddress: string;
  readonly namespace: string;
  /** Where the service logs what fails (observability/logger.ts). */
  readonly logger?: CpflowLogger;
  /** Tracing's client interceptors (observability/tracing.ts): case starts and updates join the case's trace. */
  readonly clientInterceptors?: WorkflowClientInterceptor[];
  /** TLS and API key for an external Temporal (client/temporal-settings). */
  readonly security?: TemporalSecurity;
  /** The payload codec's converter: the service reads cases, and decodes for the Temporal UI, with it. */
  readonly dataConverter: DataConverter;
  /** The Temporal Web UI whose pages may call the codec endpoint (CORS). */
  readonly temporalUi?: string;
  /** Called just before listening: lets go of the port held for the service meanwhile. */
  readonly beforeListening?: () => Promise<void>;
}

/** Starts the web service (and the local provider unless an issuer is configured). */
export async function startWebService(options: StartWebOptions): Promise<RunningWebService> {
  const { env, dataDir, settings } = options;
  const directoryFile = env.CPFLOW_DIRECTORY_FILE || EXAMPLE_DIRECTORY;
  const roster = fileRoster(directoryFile);
  await roster.staffIds(); // a bad directory stops start-up here, naming the file and the field
  const policy = loadPolicy(env.CPFLOW_POLICY || undefined);
  const port = settings.CPFLOW_WEB_PORT ?? (await preferredOrFreePort(8080));
  const temporalUi = settings.CPFLOW_TEMPORAL_UI_URL ?? options.temporalUi;
  const url = `http://127.0.0.1:${port}`;
  const stops: (() => Promise<void>)[] = [];
  let oidc: OidcSettings;
  let signIn: string;
  let apiClients: ApiClient[] = settings.CPFLOW_API_CLIENTS ?? [];
  const publicUrl = (settings.CPFLOW_WEB_URL ?? url).replace(/\/$/, '');
  if (settings.CPFLOW_OIDC_ISSUER !== undefined) {
    oidc = {
      issuer: settings.CPFLOW_OIDC_ISSUER,
      clientId: settings.CPFLOW_OIDC_CLIENT_ID ?? '',
      clientSecret: settings.CPFLOW_OIDC_CLIENT_SECRET ?? '',
      redirectUri: `${publicUrl}/auth/callback`,
      postLogoutRedirectUri: `${publicUrl}/signed-out`,
      ...(settings.CPFLOW_OIDC_STAFF_ID_CLAIM === undefined
        ? {}
        : { staffIdClaim: settings.CPFLOW_OIDC_STAFF_ID_CLAIM }),
    };
    signIn = `through ${settings.CPFLOW_OIDC_ISSUER}`;
  } else {
    const password = settings.CPFLOW_LOCAL_SIGN_IN_PASSWORD ?? randomBytes(9).toString('base64url');
    const client = {
      clientId: 'cpflow-web',
      clientSecret: randomBytes(24).toString('hex'),
      redirectUri: `${url}/auth/callback`,
      postLogoutRedirectUri: `${url}/signed-out`,
    };
    // A case system for trying the JSON API: client credentials, acting for the policy's first authority.
    const caseSystem = { clientId: 'case-system', clientSecret: randomBytes(18).toString('base64url') };
    const provider = await startLocalIdentityProvider({
      staffIds: () => roster.staffIds(),
      password,
      client,
      machineClients: [caseSystem],
    });
    stops.push(() => provider.stop());
    oidc = { issuer: provider.issuer, ...client };
    apiClients = [{ clientId: caseSystem.clientId, authority: policy.authorities[0].id }, ...apiClients];
    signIn =
      `local sign-in at ${provider.issuer}: a staff id of ${path.basename(directoryFile)} (e.g. sw-0042, tm-007) ` +
      `and the password ${password}; API client ${caseSystem.clientId} / ${caseSystem.clientSecret}`;
  }
  const connection = await Connection.connect({
    address: options.temporalAddress,
    ...connectionOptionsOf(options.security ?? {}),
  });
  const tokenUrl = `${oidc.issuer.replace(/\/$/, '')}/token`;
  stops.push(() => connection.close());
  const app = await buildWebApp({
    cases: new CaseService({
      client: new Client({
        connection,
        interceptors: { workflow: options.clientInterceptors ?? [] },
        namespace: options.namespace,
        dataConverter: options.dataConverter,
      }),
      roster,
      policy,
      today: todayInEngland,
    }),
    api: { verifier: new ApiTokenVerifier(oidc.issuer, apiClients), tokenUrl },
    roster,
    accessLog: new FileAccessLog(path.join(dataDir, 'access-log.jsonl')),
    oidc,
    sessionKey: await sessionKey(dataDir),
    secureCookies: publicUrl.startsWith('https:'),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    codec: {
      dataConverter: options.dataConverter,
      namespace: options.namespace,
      authorities: policy.authorities.map((a) => a.id),
      ...(temporalUi === undefined ? {} : { allowedOrigin: new URL(temporalUi).origin }),
    },
  });
  await options.beforeListening?.();
  await app.listen({ port, host: settings.CPFLOW_WEB_HOST ?? '127.0.0.1' });
  stops.push(() => app.close());
  return {
    url,
    signIn,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

/** The session cookie's key, kept in the data folder (owner-only) so a restart keeps people signed in. */
async function sessionKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, 'session.key');
  const existing = await readFile(file).catch(() => undefined);
  if (existing !== undefined && existing.length === 32) return existing;
  const key = randomBytes(32);
  await writeFile(file, key, { mode: 0o600 });
  return key;
}
