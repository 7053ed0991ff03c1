/**
 * The web service's settings from the environment, checked before `npm start` starts anything: each problem
 * names the variable and the rule, never the value (a secret or a mistyped address must not reach a log).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { httpUrlSetting } from '../config/url-setting';
import { isLoopback } from './identity/oidc-sign-in';

/** A setting of the web service is wrong. */
export class WebSettingsError extends Error {
  override readonly name = 'WebSettingsError';
}

const set = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

const httpUrl = httpUrlSetting;

const PORT_RULE = 'must be a port number between 0 (any free port) and 65535';

const Schema = z
  .object({
    CPFLOW_WEB_PORT: z.coerce
      .number({ error: PORT_RULE })
      .int({ error: PORT_RULE })
      .min(0, { error: PORT_RULE })
      .max(65535, { error: PORT_RULE })
      .optional(),
    CPFLOW_WEB_HOST: z
      .string()
      .refine((value) => isIP(value) !== 0, 'must be the IP address to listen on, e.g. 0.0.0.0 in a container')
      .optional(),
    CPFLOW_WEB_URL: httpUrl('must be the address people reach cpflow at, starting http:// or https://').optional(),
    CPFLOW_TEMPORAL_UI_URL: httpUrl(
      'must be the Temporal Web UI’s address, starting http:// or https:// (it may call the codec endpoint)',
    ).optional(),
    CPFLOW_CASE_URL_BASE: httpUrl(
      'must be an address starting http:// or https:// (the case reference is added)',
    ).optional(),
    CPFLOW_OIDC_ISSUER: httpUrl('must be the identity provider’s issuer address, starting https://').optional(),
    CPFLOW_OIDC_CLIENT_ID: z
      .string()
      .regex(/^[\w.:/-]{1,200}$/, 'must be the client id the provider gave')
      .optional(),
    CPFLOW_OIDC_CLIENT_SECRET: z
      .string()
      .min(16, 'must be the client secret the provider gave (16 characters or more)')
      .optional(),
    CPFLOW_OIDC_STAFF_ID_CLAIM: z
      .string()
      .regex(/^[\w.:-]{1,100}$/, 'must be the name of an ID token claim')
      .optional(),
    CPFLOW_LOCAL_SIGN_IN_PASSWORD: z.string().min(12, 'must be 12 characters or more').optional(),
    /** `clientId=authority` pairs: which case systems may call the API, and for which authority. */
    CPFLOW_API_CLIENTS: z
      .string()
      .regex(
        /^\s*[A-Za-z0-9._-]{1,64}=[a-z][a-z0-9]*(?:-[a-z0-9]+)*\s*(,\s*[A-Za-z0-9._-]{1,64}=[a-z][a-z0-9]*(?:-[a-z0-9]+)*\s*)*$/,
        'must be clientId=authority pairs separated by commas',
      )
      .transform((value) =>
        value.split(',').map((pair) => {
          const [clientId, authority] = pair.trim().split('=');
          return { clientId, authority };
        }),
      )
      .optional(),
  })
  .superRefine((env, ctx) => {
    // The local sign-in is for trying cpflow on this machine: anyone else signs in through the authority's provider.
    const loopbackHost = env.CPFLOW_WEB_HOST === undefined || ['127.0.0.1', '::1'].includes(env.CPFLOW_WEB_HOST);
    if (!loopbackHost && env.CPFLOW_OIDC_ISSUER === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['CPFLOW_WEB_HOST'],
        message: 'may listen beyond loopback only with CPFLOW_OIDC_ISSUER (the local sign-in serves this machine only)',
      });
    }
    if (env.CPFLOW_OIDC_ISSUER !== undefined) {
      for (const name of ['CPFLOW_OIDC_CLIENT_ID', 'CPFLOW_OIDC_CLIENT_SECRET', 'CPFLOW_WEB_URL'] as const) {
        if (env[name] === undefined) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'is required when CPFLOW_OIDC_ISSUER is set' });
        }
      }
      const issuer = new URL(env.CPFLOW_OIDC_ISSUER);
      if (issuer.protocol !== 'https:' && !isLoopback(issuer)) {
        ctx.addIssue({
          code: 'custom',
          path: ['CPFLOW_OIDC_ISSUER'],
          message: 'must start https:// (only a provider on this machine may use http)',
        });
      }
    }
  });

/** The web service's settings, checked. */
export type WebSettings = z.output<typeof Schema>;

/** The settings that make the links in emails, checked: what a worker without the web service needs. */
export function readLinkSettings(env: NodeJS.ProcessEnv): Pick<WebSettings, 'CPFLOW_WEB_URL' | 'CPFLOW_CASE_URL_BASE'> {
  const { CPFLOW_WEB_URL, CPFLOW_CASE_URL_BASE } = readWebSettings({
    CPFLOW_WEB_URL: env.CPFLOW_WEB_URL,
    CPFLOW_CASE_URL_BASE: env.CPFLOW_CASE_URL_BASE,
  });
  return {
    ...(CPFLOW_WEB_URL === undefined ? {} : { CPFLOW_WEB_URL }),
    ...(CPFLOW_CASE_URL_BASE === undefined ? {} : { CPFLOW_CASE_URL_BASE }),
  };
}

/** Reads and checks the web settings; throws {@link WebSettingsError} naming every bad variable. */
export function readWebSettings(env: NodeJS.ProcessEnv): WebSettings {
  const names = Object.keys(Schema.shape) as (keyof WebSettings)[];
  const given = Object.fromEntries(names.map((name) => [name, set(env[name])]).filter(([, v]) => v !== undefined));
  const parsed = Schema.safeParse(given);
  if (!parsed.success) {
    throw new WebSettingsError(
      parsed.error.issues.map((i) => `${String(i.path[0] ?? 'settings')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}
