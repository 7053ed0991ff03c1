/**
 * Access tokens of case systems calling the JSON API (OAuth 2.0 client credentials): JWTs the identity provider
 * signs for cpflow's API audience, checked here against its published keys — issuer, audience, expiry, signature.
 * Which authority a client acts for comes from cpflow's own configuration, never from the token's claims alone.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** The audience (resource) of cpflow's API in access tokens. */
export const API_AUDIENCE = 'urn:cpflow:api';
/** The scope a case system asks for. */
export const API_SCOPE = 'cpflow.api';

/** A case system allowed to call the API, and the authority whose cases it opens and reads. */
export interface ApiClient {
  readonly clientId: string;
  readonly authority: string;
}

/** Checks bearer tokens; resolves to the calling client, or undefined when the token does not check out. */
export class ApiTokenVerifier {
  #keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    private readonly issuer: string,
    private readonly clients: readonly ApiClient[],
  ) {}

  async #jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.#keys === undefined) {
      const response = await fetch(new URL('/.well-known/openid-configuration', this.issuer));
      const metadata = (await response.json()) as { jwks_uri?: string };
      if (metadata.jwks_uri === undefined) throw new Error('the identity provider publishes no keys');
      this.#keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
    }
    return this.#keys;
  }

  /** The client a bearer token was issued to, if it is valid for cpflow's API and the client is known. */
  async verify(token: string): Promise<ApiClient | undefined> {
    try {
      const { payload } = await jwtVerify(token, await this.#jwks(), { issuer: this.issuer, audience: API_AUDIENCE });
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      if (!scopes.includes(API_SCOPE)) return undefined;
      return this.clients.find((c) => c.clientId === payload.client_id);
    } catch {
      return undefined;
    }
  }
}
