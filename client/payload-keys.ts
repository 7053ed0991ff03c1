/**
 * Where the payload keys come from — never the repository:
 * - `CPFLOW_PAYLOAD_KEYS`: the key set as JSON in the environment (a secret store injects it), or
 * - `CPFLOW_PAYLOAD_KEYS_FILE`: a file holding it, readable by its owner only, or
 * - neither: `<data dir>/payload-keys.json`, which `npm start` creates (mode 0600) on first start, so a local
 *   cpflow, its CLI and its additional workers share one key.
 *
 * The key set: `{ "current": "<key id>", "keys": { "<key id>": "<32 bytes, base64>", … } }`. To rotate, add a key,
 * make it current, and keep the old ones for as long as histories sealed with them are kept.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { PayloadKeys } from './payload-codec';

/** Settings of the payload keys that cannot be used; the message names the variable, never its value. */
export class PayloadKeySettingsError extends Error {
  override readonly name = 'PayloadKeySettingsError';
}

/** A key id: letters, digits, `.`, `_` and `-` (it is written, unencrypted, beside every payload). */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;

const KeySetSchema = z.strictObject({
  current: z.string().regex(KEY_ID_PATTERN),
  keys: z.record(
    z.string().regex(KEY_ID_PATTERN),
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/)
      .transform((b64) => Buffer.from(b64, 'base64')),
  ),
});

/** The file name of the generated key set in a data folder. */
export const DATA_DIR_KEYS_FILE = 'payload-keys.json';

/** Parses a key set; `source` names where it came from (a variable) in the error. */
export function parsePayloadKeys(text: string, source: string): PayloadKeys {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PayloadKeySettingsError(`${source}: must be JSON`);
  }
  const parsed = KeySetSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PayloadKeySettingsError(
      `${source}: must be {"current": "<key id>", "keys": {"<key id>": "<32 random bytes in base64>"}} ` +
        '(key ids: letters, digits, . _ -, at most 40)',
    );
  }
  const keys = new Map(Object.entries(parsed.data.keys));
  if (!keys.has(parsed.data.current)) {
    throw new PayloadKeySettingsError(`${source}: "current" must name one of its keys`);
  }
  return { currentKeyId: parsed.data.current, keys };
}

/** A new key set with one random key (what `npm start` writes to a new data folder). */
export function newPayloadKeySet(keyId = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
  return `${JSON.stringify({ current: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } }, null, 2)}\n`;
}

/** Reads a key file, refusing one that others than its owner could read. */
function readKeyFile(file: string, source: string): PayloadKeys {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new PayloadKeySettingsError(`${source}: the key file cannot be read`);
  }
  if ((mode & 0o077) !== 0) {
    throw new PayloadKeySettingsError(`${source}: the key file must be readable by its owner only (chmod 600)`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PayloadKeySettingsError(`${source}: the key file cannot be read`);
  }
  return parsePayloadKeys(text, source);
}

/**
 * The payload keys of the environment (`CPFLOW_PAYLOAD_KEYS`, else `CPFLOW_PAYLOAD_KEYS_FILE`), else of the data
 * folder's key file; undefined when none is configured and the data folder has none.
 */
export function configuredPayloadKeys(env: NodeJS.ProcessEnv, dataDir: string): PayloadKeys | undefined {
  if (env.CPFLOW_PAYLOAD_KEYS) return parsePayloadKeys(env.CPFLOW_PAYLOAD_KEYS, 'CPFLOW_PAYLOAD_KEYS');
  if (env.CPFLOW_PAYLOAD_KEYS_FILE) return readKeyFile(env.CPFLOW_PAYLOAD_KEYS_FILE, 'CPFLOW_PAYLOAD_KEYS_FILE');
  const file = path.join(dataDir, DATA_DIR_KEYS_FILE);
  return existsSync(file) ? readKeyFile(file, file) : undefined;
}

/**
 * The payload keys `npm start` runs with: those configured, else the data folder's, created with a new random key
 * on first start (owner-only).
 */
export async function payloadKeysForStart(env: NodeJS.ProcessEnv, dataDir: string): Promise<PayloadKeys> {
  const configured = configuredPayloadKeys(env, dataDir);
  if (configured !== undefined) return configured;
  const file = path.join(dataDir, DATA_DIR_KEYS_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: a second process starting at the same moment keeps the first one's key.
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(newPayloadKeySet());
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Read as any key file is: refused when others than its owner could read it.
  return readKeyFile(file, file);
}
