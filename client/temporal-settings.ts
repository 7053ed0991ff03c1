/**
 * How every cpflow process (worker, CLI, web service) reaches Temporal securely: TLS with the server's CA, a
 * client certificate (mTLS, as a self-hosted cluster or Temporal Cloud with certificates needs) or an API key
 * (Temporal Cloud), and the payload codec that encrypts what cpflow stores in histories. One reading of the
 * settings for all three, each error naming the variable and never its value.
 *
 * - `TEMPORAL_TLS`: `true` for TLS with the system's trusted CAs (implied by the settings below).
 * - `TEMPORAL_TLS_CA_FILE`: the CA that signed the server's certificate (PEM).
 * - `TEMPORAL_TLS_CERT_FILE` + `TEMPORAL_TLS_KEY_FILE`: the client certificate and its key (PEM), for mTLS.
 * - `TEMPORAL_TLS_SERVER_NAME`: the name to check the server's certificate against, when not its address.
 * - `TEMPORAL_API_KEY` or `TEMPORAL_API_KEY_FILE`: an API key, sent as a bearer token (always over TLS).
 */
import { readFileSync } from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type PayloadKeys } from './payload-codec';

/** A Temporal setting that cannot be used; the message names the variable, never its value. */
export class TemporalSettingsError extends Error {
  override readonly name = 'TemporalSettingsError';
}

/** TLS options in the shape both `Connection.connect` and `NativeConnection.connect` take. */
export interface TemporalTls {
  readonly serverNameOverride?: string;
  readonly serverRootCACertificate?: Buffer;
  readonly clientCertPair?: { readonly crt: Buffer; readonly key: Buffer };
}

/** What a connection to Temporal needs besides its address. */
export interface TemporalSecurity {
  /** Absent: plain gRPC (a dev server on loopback). */
  readonly tls?: TemporalTls;
  readonly apiKey?: string;
}

/** Reads the TLS and API key settings. */
export function readTemporalSecurity(env: NodeJS.ProcessEnv): TemporalSecurity {
  const file = (name: string): Buffer | undefined => {
    const value = env[name];
    if (!value) return undefined;
    try {
      return readFileSync(value);
    } catch {
      throw new TemporalSettingsError(`${name}: the file cannot be read`);
    }
  };
  if (env.TEMPORAL_TLS !== undefined && !['true', 'false', ''].includes(env.TEMPORAL_TLS)) {
    throw new TemporalSettingsError('TEMPORAL_TLS: must be true or false');
  }
  const ca = file('TEMPORAL_TLS_CA_FILE');
  const crt = file('TEMPORAL_TLS_CERT_FILE');
  const key = file('TEMPORAL_TLS_KEY_FILE');
  if ((crt === undefined) !== (key === undefined)) {
    throw new TemporalSettingsError(
      `${crt === undefined ? 'TEMPORAL_TLS_CERT_FILE' : 'TEMPORAL_TLS_KEY_FILE'}: is required with ` +
        `${crt === undefined ? 'TEMPORAL_TLS_KEY_FILE' : 'TEMPORAL_TLS_CERT_FILE'} (a client certificate and its key)`,
    );
  }
  for (const [name, pem] of [
    ['TEMPORAL_TLS_CA_FILE', ca],
    ['TEMPORAL_TLS_CERT_FILE', crt],
    ['TEMPORAL_TLS_KEY_FILE', key],
  ] as const) {
    if (pem !== undefined && !pem.toString('latin1').includes('-----BEGIN ')) {
      throw new TemporalSettingsError(`${name}: must be a PEM file`);
    }
  }
  const serverName = env.TEMPORAL_TLS_SERVER_NAME;
  if (serverName && !/^[A-Za-z0-9.-]{1,253}$/.test(serverName)) {
    throw new TemporalSettingsError('TEMPORAL_TLS_SERVER_NAME: must be a host name');
  }
  let apiKey = env.TEMPORAL_API_KEY || undefined;
  if (apiKey === undefined && env.TEMPORAL_API_KEY_FILE)
    apiKey = file('TEMPORAL_API_KEY_FILE')?.toString('utf8').trim();
  if (apiKey !== undefined && !/^[\x21-\x7e]{1,4096}$/.test(apiKey)) {
    throw new TemporalSettingsError(
      `${env.TEMPORAL_API_KEY ? 'TEMPORAL_API_KEY' : 'TEMPORAL_API_KEY_FILE'}: must be one printable token`,
    );
  }
  const wantsTls =
    env.TEMPORAL_TLS === 'true' || ca !== undefined || crt !== undefined || !!serverName || apiKey !== undefined;
  if (env.TEMPORAL_TLS === 'false' && wantsTls && (ca ?? crt ?? serverName ?? apiKey) !== undefined) {
    throw new TemporalSettingsError('TEMPORAL_TLS: cannot be false with TLS certificates or an API key');
  }
  return {
    ...(wantsTls
      ? {
          tls: {
            ...(serverName ? { serverNameOverride: serverName } : {}),
            ...(ca === undefined ? {} : { serverRootCACertificate: ca }),
            ...(crt === undefined || key === undefined ? {} : { clientCertPair: { crt, key } }),
          },
        }
      : {}),
    ...(apiKey === undefined ? {} : { apiKey }),
  };
}

/** The connection options for a security setting (spread into `Connection.connect` / `NativeConnection.connect`). */
export function connectionOptionsOf(security: TemporalSecurity): { tls?: TemporalTls; apiKey?: string } {
  return {
    ...(security.tls === undefined ? {} : { tls: security.tls }),
    ...(security.apiKey === undefined ? {} : { apiKey: security.apiKey }),
  };
}

/** The data converter of every cpflow client and worker: payloads encrypted with the given keys. */
export function cpflowDataConverter(keys: PayloadKeys): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)] };
}
