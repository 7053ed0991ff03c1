/**
 * Encryption of everything cpflow puts in Temporal's history: workflow inputs (the referral), updates, signals,
 * query results and activity arguments are encrypted with AES-256-GCM before they leave the process, so the
 * Temporal database, its backups and anyone reading the history without a key see only ciphertext. Search
 * attributes are not payloads and are never encrypted: they carry only pseudonymous references.
 *
 * Keys have ids: each payload names the key that sealed it, new payloads use the current key, and old keys stay
 * configured to read what they sealed, so keys can be rotated without re-encrypting histories.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type Payload, type PayloadCodec, METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** `encoding` metadata of a payload this codec sealed. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key that sealed a payload. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** Metadata key naming the cipher. */
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The keys a codec may use: the current one seals, every one opens what it sealed. */
export interface PayloadKeys {
  readonly currentKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** A payload that cannot be opened: sealed with a key not configured here, or altered since. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The AES-256-GCM payload codec. */
export class EncryptionCodec implements PayloadCodec {
  readonly #keys: PayloadKeys;

  constructor(keys: PayloadKeys) {
    const current = keys.keys.get(keys.currentKeyId);
    if (current === undefined) throw new TypeError('currentKeyId: must name one of the keys');
    for (const key of keys.keys.values()) {
      if (key.length !== 32) throw new TypeError('keys: each key must be 32 bytes (AES-256)');
    }
    this.#keys = keys;
  }

  /** Seals each payload (metadata included) with the current key. */
  encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.#keys.currentKeyId;
    const key = this.#keys.keys.get(keyId) as Buffer;
    return Promise.resolve(
      payloads.map((payload) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        // The key id is authenticated with the payload: a payload relabelled with another key id does not open.
        cipher.setAAD(Buffer.from(keyId));
        const plain = temporal.api.common.v1.Payload.encode(payload).finish();
        const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
        return {
          metadata: {
            [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING),
            [KEY_ID_METADATA]: encoder.encode(keyId),
            [CIPHER_METADATA]: encoder.encode(CIPHER),
          },
          data: sealed,
        };
      }),
    );
  }

  /** Opens each sealed payload; a payload this codec did not seal passes through unchanged. */
  decode(payloads: Payload[]): Promise<Payload[]> {
    // A payload that cannot be opened rejects the promise; it never throws synchronously.
    return new Promise((resolve) => resolve(payloads.map((payload) => this.#open(payload))));
  }

  #open(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (encoding === undefined || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = keyIdBytes === undefined ? '' : decoder.decode(keyIdBytes);
    const key = this.#keys.keys.get(keyId);
    if (key === undefined) {
      throw new PayloadDecryptionError(
        `a payload was encrypted with key "${sanitisedKeyId(keyId)}", which is not configured here`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('an encrypted payload is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new PayloadDecryptionError(`a payload encrypted with key "${keyId}" failed its integrity check`);
    }
  }
}

/** A key id as said in an error: only the characters a key id may have (see payload-keys). */
function sanitisedKeyId(keyId: string): string {
  return keyId.replace(/[^A-Za-z0-9._-]/g, '?').slice(0, 40);
}
