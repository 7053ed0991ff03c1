/**
 * The payload codec and its keys: what cpflow writes to Temporal's history is sealed with AES-256-GCM under a
 * named key, keys rotate without re-encrypting, and key settings that cannot be used stop start-up naming the
 * variable, never showing the key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, METADATA_ENCODING_KEY } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { EncryptionCodec, KEY_ID_METADATA, PayloadDecryptionError } from '../../client/payload-codec';
import {
  configuredPayloadKeys,
  DATA_DIR_KEYS_FILE,
  newPayloadKeySet,
  parsePayloadKeys,
  PayloadKeySettingsError,
  payloadKeysForStart,
} from '../../client/payload-keys';
import { rejectionOf, thrownBy } from '../support/thrown';

const referral = { caseReference: 'CP-2026-000123', police: { reference: '40/123456/26', arrestedOn: '2026-11-14' } };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-keys-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('EncryptionCodec', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('seals payload and metadata: nothing of the referral is readable, and it opens again', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: new Map([['k1', k1]]) });
    const plain = defaultPayloadConverter.toPayload(referral);
    const [sealed] = await codec.encode([plain]);
    expect(text(sealed.metadata?.[METADATA_ENCODING_KEY])).toBe('binary/encrypted');
    expect(text(sealed.metadata?.[KEY_ID_METADATA])).toBe('k1');
    expect(text(sealed.data)).not.toContain('40/123456/26');
    expect(text(sealed.data)).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(referral);
    // The same value twice seals differently (a fresh IV each time).
    const [again] = await codec.encode([plain]);
    expect(Buffer.compare(Buffer.from(again.data ?? []), Buffer.from(sealed.data ?? []))).not.toBe(0);
  });

  it('rotates: a new current key seals, the old one still opens what it sealed', async () => {
    const before = new EncryptionCodec({ currentKeyId: 'k1', keys: new Map([['k1', k1]]) });
    const after = new EncryptionCodec({
      currentKeyId: 'k2',
      keys: new Map([
        ['k1', k1],
        ['k2', k2],
      ]),
    });
    const [old] = await before.encode([defaultPayloadConverter.toPayload(referral)]);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload(referral)]);
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('k2');
    expect(defaultPayloadConverter.fromPayload((await after.decode([old]))[0])).toEqual(referral);
    // Without k2 configured, what k2 sealed cannot be read, and the error says which key, not the content.
    const failure = await rejectionOf(PayloadDecryptionError, before.decode([fresh]));
    expect(failure.message).toBe('a payload was encrypted with key "k2", which is not configured here');
  });

  it('refuses a payload altered after sealing, or relabelled with another key id', async () => {
    const codec = new EncryptionCodec({
      currentKeyId: 'k1',
      keys: new Map([
        ['k1', k1],
        ['k2', k1],
      ]),
    });
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(referral)]);
    const flipped = Buffer.from(sealed.data ?? []);
    flipped[flipped.length - 20] ^= 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow(/failed its integrity check/);
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed its integrity check/);
  });

  it('passes through payloads it did not seal (histories written before encryption stay readable)', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: new Map([['k1', k1]]) });
    const plain = defaultPayloadConverter.toPayload(referral);
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('payload key settings', () => {
  it('reads a key set from CPFLOW_PAYLOAD_KEYS, and refuses unusable ones naming the variable, never the key', () => {
    const set = newPayloadKeySet('2026-12');
    const keys = configuredPayloadKeys({ CPFLOW_PAYLOAD_KEYS: set }, '/nonexistent');
    expect(keys?.currentKeyId).toBe('2026-12');
    expect(keys?.keys.get('2026-12')).toHaveLength(32);
    const secret = randomBytes(16).toString('base64');
    for (const bad of [
      'not json',
      JSON.stringify({ current: 'a', keys: { a: secret } }),
      JSON.stringify({ current: 'b', keys: { a: randomBytes(32).toString('base64') } }),
      JSON.stringify({ current: 'a b', keys: { 'a b': randomBytes(32).toString('base64') } }),
    ]) {
      const failure = thrownBy(PayloadKeySettingsError, () => parsePayloadKeys(bad, 'CPFLOW_PAYLOAD_KEYS'));
      expect(failure.message).toMatch(/^CPFLOW_PAYLOAD_KEYS: /);
      expect(failure.message).not.toContain(secret);
      expect(failure.message).not.toContain('not json');
    }
  });

  it('refuses a key file others can read, and one that cannot be read, naming the variable', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'keys.json');
    writeFileSync(file, newPayloadKeySet(), { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(() => configuredPayloadKeys({ CPFLOW_PAYLOAD_KEYS_FILE: file }, dir)).toThrow(
      'CPFLOW_PAYLOAD_KEYS_FILE: the key file must be readable by its owner only (chmod 600)',
    );
    chmodSync(file, 0o600);
    expect(configuredPayloadKeys({ CPFLOW_PAYLOAD_KEYS_FILE: file }, dir)?.keys.size).toBe(1);
    expect(() => configuredPayloadKeys({ CPFLOW_PAYLOAD_KEYS_FILE: '/etc/passwd' }, dir)).toThrow(
      'CPFLOW_PAYLOAD_KEYS_FILE: the key file must be readable by its owner only (chmod 600)',
    );
    expect(() => configuredPayloadKeys({ CPFLOW_PAYLOAD_KEYS_FILE: path.join(dir, 'missing') }, dir)).toThrow(
      'CPFLOW_PAYLOAD_KEYS_FILE: the key file cannot be read',
    );
  });

  it('npm start makes a key set for a new data folder, owner-only, and keeps it across starts', async () => {
    const dir = await tempDir();
    expect(configuredPayloadKeys({}, dir)).toBeUndefined();
    const first = await payloadKeysForStart({}, dir);
    const file = path.join(dir, DATA_DIR_KEYS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await payloadKeysForStart({}, dir);
    expect(second.keys.get(second.currentKeyId)).toEqual(first.keys.get(first.currentKeyId));
    // The CLI of that data folder reads the same set.
    expect(configuredPayloadKeys({}, dir)?.currentKeyId).toBe(first.currentKeyId);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveProperty('current', first.currentKeyId);
  });
});
