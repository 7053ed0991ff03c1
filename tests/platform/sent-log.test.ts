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

  it('keeps one log per Temporal namespace id in the data folder, and refuses anything else as an id', () => {
    expect(FileSentLog.inDataDir('/data', '3a4b-77')).toMatchObject({
      file: path.join('/data', 'sent-notifications', '3a4b-77.jsonl'),
    });
    expect(FileSentLog.inDataDir('/data', 'ffff').file).not.toBe(FileSentLog.inDataDir('/data', '3a4b-77').file);
    expect(() => FileSentLog.inDataDir('/data', '../etc')).toThrow(/namespaceId: must be the Temporal namespace id/);
  });
});
