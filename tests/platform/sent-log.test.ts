import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSentLog } from '../../mail/sent-log';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-sent-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file sent log', () => {
  it('survives a torn last line from a crash and keeps appending whole records', async () => {
    const file = path.join(dir, 'sent-notifications.jsonl');
    await writeFile(
      file,
      '{"notificationId":"a","messageId":"<a@x>","sentAt":"2026-01-01T00:00:00.000Z"}\n{"notificationId":"b","mess',
    );
    const log = new FileSentLog(file);
    await expect(log.find('a')).resolves.toMatchObject({ messageId: '<a@x>' });
    await expect(log.find('b')).resolves.toBeUndefined();
    await log.record({ notificationId: 'b', messageId: '<b@x>', sentAt: '2026-01-02T00:00:00.000Z' });
    await expect(new FileSentLog(file).find('b')).resolves.toMatchObject({ messageId: '<b@x>' });
    expect(
      (await readFile(file, 'utf8')).split('\n').filter((l) => l.startsWith('{"notificationId":"b","messageId"')),
    ).toHaveLength(1);
  });

  it('sees what another process appended since it last looked, and never half a record', async () => {
    const file = path.join(dir, 'shared-sent-log.jsonl');
    const mine = new FileSentLog(file);
    const theirs = new FileSentLog(file);
    await expect(mine.find('c')).resolves.toBeUndefined();
    await theirs.record({ notificationId: 'c', messageId: '<c@x>', sentAt: '2026-01-03T00:00:00.000Z' });
    await expect(mine.find('c')).resolves.toMatchObject({ messageId: '<c@x>' });
    // A record still being written (no newline yet) is read once it is complete.
    await appendFile(file, '\n{"notificationId":"d","messageId":"<d@x>",');
    await expect(mine.find('d')).resolves.toBeUndefined();
    await appendFile(file, '"sentAt":"2026-01-04T00:00:00.000Z"}\n');
    await expect(mine.find('d')).resolves.toMatchObject({ messageId: '<d@x>' });
  });

  it('lets only one of two processes sharing the file claim a notification, and no one claim what was sent', async () => {
    const file = path.join(dir, 'claims.jsonl');
    const [mine, theirs] = [new FileSentLog(file), new FileSentLog(file)];
    const now = new Date('2026-03-02T09:00:00Z');
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? mine : theirs).claim('n1', `token-${i}`, now)),
    );
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'busy')).toHaveLength(7);
    await theirs.record({ notificationId: 'n1', messageId: '<n1@x>', sentAt: now.toISOString() });
    await expect(mine.claim('n1', 'later', new Date('2026-03-03T09:00:00Z'))).resolves.toMatchObject({
      status: 'sent',
    });
    // A released claim can be taken at once; a lapsed one after its lease.
    await mine.claim('n2', 'a', now);
    await mine.release('n2', 'a');
    await expect(theirs.claim('n2', 'b', now)).resolves.toEqual({ status: 'claimed', retaken: false });
    await expect(mine.claim('n2', 'c', new Date(now.getTime() + 60_000))).resolves.toEqual({ status: 'busy' });
    await expect(mine.claim('n2', 'c', new Date(now.getTime() + 6 * 60_000))).resolves.toEqual({
      status: 'claimed',
      retaken: true,
    });
  });

  it('keeps one log per Temporal namespace id in the data folder, and refuses anything else as an id', () => {
    expect(FileSentLog.inDataDir('/data', '3a4b-77')).toMatchObject({
      file: path.join('/data', 'sent-notifications', '3a4b-77.jsonl'),
    });
    expect(FileSentLog.inDataDir('/data', 'ffff').file).not.toBe(FileSentLog.inDataDir('/data', '3a4b-77').file);
    expect(() => FileSentLog.inDataDir('/data', '../etc')).toThrow(/namespaceId: must be the Temporal namespace id/);
  });
});
