/**
 * Sign-in with OpenID Connect (`openid-client`): the authorisation code flow with PKCE against the authority's
 * identity provider (Microsoft Entra ID in most councils; the local provider for `npm start` and the tests).
 * The person's staff id is the `sub` claim, or the claim the settings name (Entra: a directory extension
 * attribute holding the staff id).
 */
import * as client from 'openid-client';

/** Where and how cpflow signs people in. */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** This service's callback, e.g. http://127.0.0.1:8080/auth/callback. */
  readonly redirectUri: string;
  /** Where the provider sends people after signing out. */
  readonly postLogoutRedirectUri: string;
  /** The ID token claim holding the staff id (default `sub`). */
  readonly staffIdClaim?: string;
}

/** A completed sign-in. */
export interface SignedIn {
  readonly staffId: string;
  readonly idToken: string;
}

/** Whether an address is this machine's (where a provider may answer over plain http). */
export function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The sign-in flow against one provider (discovered on first use). */
export class OidcSignIn {
  #config: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  #configuration(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuer);
    // Plain http is allowed only to a provider on this machine (the local one); anything else must be https.
    const loopback = issuer.protocol === 'http:' && isLoopback(issuer);
    this.#config ??= client
      .discovery(
        issuer,
        this.settings.clientId,
        this.settings.clientSecret,
        undefined,
        loopback ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        this.#config = undefined;
        throw err;
      });
    return this.#config;
  }

  /** The provider's sign-in address, with the state and PKCE verifier to keep in the session. */
  async start(): Promise<{ url: string; state: string; verifier: string }> {
    const config = await this.#configuration();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    return { url: url.href, state, verifier };
  }

  /** Completes the sign-in from the callback address; throws when the provider's answer does not check out. */
  async finish(callback: URL, state: string, verifier: string): Promise<SignedIn> {
    const config = await this.#configuration();
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims();
    const staffId = claims?.[this.settings.staffIdClaim ?? 'sub'];
    if (typeof staffId !== 'string' || tokens.id_token === undefined) throw new Error('the ID token names nobody');
    return { staffId, idToken: tokens.id_token };
  }

  /** Where to send someone signing out: the provider's end-session address, back to `/signed-out`. */
  async endSessionUrl(idToken: string | undefined): Promise<string> {
    const config = await this.#configuration();
    if (config.serverMetadata().end_session_endpoint === undefined) return this.settings.postLogoutRedirectUri;
    return client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
      ...(idToken === undefined ? {} : { id_token_hint: idToken }),
    }).href;
  }
}
