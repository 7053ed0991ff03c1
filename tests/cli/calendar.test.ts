import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main';
import { DEFAULT_SNAPSHOT_PATH } from '../../config/bank-holiday-snapshot';
import { EXPECTED_BANK_HOLIDAYS } from '../domain/calendar/expected-bank-holidays';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cpflow <args>` in-process and captures what it prints. */
async function cpflow(...args: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'cpflow', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('cpflow calendar show', () => {
  it("lists a snapshot year's bank holidays with their source", async () => {
    const { code, stdout } = await cpflow('calendar', 'show', '2026');
    expect(code).toBe(0);
    const rows = stdout.split('\n').filter((line) => /^\s+\d{4}-\d{2}-\d{2}/.test(line));
    expect(rows).toHaveLength(8);
    expect(rows.every((row) => row.endsWith('[offline-snapshot]'))).toBe(true);
    expect(stdout).toMatch(/2026-12-28 {2}Mon {2}Boxing Day \(Substitute day\)\s+\[offline-snapshot\]/);
  });

  it('prints JSON for a year computed by rule', async () => {
    const { code, stdout } = await cpflow('calendar', 'show', '2029', '--json');
    expect(code).toBe(0);
    const holidays = JSON.parse(stdout) as { date: string; name: string; source: string }[];
    expect(holidays.map((h) => h.date)).toEqual(EXPECTED_BANK_HOLIDAYS[2029]);
    expect(new Set(holidays.map((h) => h.source))).toEqual(new Set(['date-holidays']));
  });

  it('rejects a year that is not a year', async () => {
    const { code, stderr } = await cpflow('calendar', 'show', 'next');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/YEAR must be a four-digit year/);
  });
});

describe('cpflow calendar add-working-days', () => {
  it('gives the due date, anchor day 0 by default', async () => {
    expect((await cpflow('calendar', 'add-working-days', '2026-08-29', '1')).stdout).toBe('2026-09-01 (Tue)\n');
    expect((await cpflow('calendar', 'add-working-days', '2027-12-24', '1')).stdout).toBe('2027-12-29 (Wed)\n');
  });

  it('honours --counting anchor-is-day-1', async () => {
    const { stdout } = await cpflow(
      'calendar',
      'add-working-days',
      '2026-09-07',
      '15',
      '--counting',
      'anchor-is-day-1',
    );
    expect(stdout).toBe('2026-09-25 (Fri)\n');
  });

  it('rejects an impossible date and a negative count', async () => {
    const badDate = await cpflow('calendar', 'add-working-days', '2026-02-30', '1');
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toMatch(/DATE: day must be between 01 and 28/);
    const badCount = await cpflow('calendar', 'add-working-days', '2026-02-02', '-3');
    expect(badCount.code).not.toBe(0);
    expect(badCount.stderr).toMatch(/N must be a whole number/);
  });
});

describe('cpflow calendar refresh', () => {
  let dir: string;
  let snapshotPath: string;
  let server: Server | undefined;
  let respond: (res: import('node:http').ServerResponse) => void;

  /** The feed the fixture server serves: the committed snapshot plus a newly published 2028 and a changed title. */
  function publishedFeed(): unknown {
    const ew = JSON.parse(readFileSync(DEFAULT_SNAPSHOT_PATH, 'utf8')) as {
      division: string;
      events: { title: string; date: string; notes: string; bunting: boolean }[];
    };
    const events = ew.events.map((e) =>
      e.date === '2027-08-30' ? { ...e, title: 'Summer bank holiday (renamed)' } : e,
    );
    events.push(
      { title: 'New Year’s Day', date: '2028-01-03', notes: 'Substitute day', bunting: true },
      { title: 'Good Friday', date: '2028-04-14', notes: '', bunting: false },
    );
    return {
      'england-and-wales': { division: 'england-and-wales', events },
      scotland: {
        division: 'scotland',
        events: [{ title: 'St Andrew’s Day', date: '2026-11-30', notes: '', bunting: true }],
      },
      'northern-ireland': { division: 'northern-ireland', events: [] },
    };
  }

  async function startServer(): Promise<string> {
    server = createServer((_req, res) => respond(res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/bank-holidays.json`;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cpflow-refresh-'));
    snapshotPath = join(dir, 'england-and-wales.json');
    copyFileSync(DEFAULT_SNAPSHOT_PATH, snapshotPath);
    respond = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(publishedFeed()));
    };
  });

  afterEach(async () => {
    if (server !== undefined) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  });

  it('downloads, validates and writes the England & Wales division, reporting what changed', async () => {
    const url = await startServer();
    const { code, stdout } = await cpflow('calendar', 'refresh', '--url', url, '--out', snapshotPath);
    expect(code).toBe(0);
    expect(stdout).toMatch(/added {4}2028-01-03 New Year’s Day \(Substitute day\)/);
    expect(stdout).toMatch(/added {4}2028-04-14 Good Friday/);
    expect(stdout).toMatch(/changed {2}2027-08-30 Summer bank holiday → 2027-08-30 Summer bank holiday \(renamed\)/);
    expect(stdout).not.toMatch(/removed/);

    const written = JSON.parse(readFileSync(snapshotPath, 'utf8')) as { division: string; events: { date: string }[] };
    expect(written.division).toBe('england-and-wales');
    expect(written.events.map((e) => e.date)).toContain('2028-01-03');
    expect(written.events.map((e) => e.date)).not.toContain('2026-11-30'); // Scotland's holiday stays out
    const provenance = JSON.parse(readFileSync(join(dir, 'england-and-wales.provenance.json'), 'utf8')) as {
      source: string;
      sourceLabel: string;
      coversYears: unknown;
    };
    expect(provenance.source).toBe(url);
    expect(provenance.sourceLabel).toBe('gov.uk');
    expect(provenance.coversYears).toEqual({ from: 2024, to: 2028 });
    expect(readdirSync(dir).sort()).toEqual(['england-and-wales.json', 'england-and-wales.provenance.json']);

    const again = await cpflow('calendar', 'refresh', '--url', url, '--out', snapshotPath);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No change/);
  });

  it('fails offline with a clear error and leaves the snapshot untouched', async () => {
    const url = await startServer();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const before = readFileSync(snapshotPath);
    const { code, stderr } = await cpflow('calendar', 'refresh', '--url', url, '--out', snapshotPath);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /could not download the bank-holiday feed from http:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED.*left unchanged/,
    );
    expect(readFileSync(snapshotPath)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['england-and-wales.json']);
  });

  it('fails on an HTTP error without touching the snapshot', async () => {
    respond = (res) => {
      res.writeHead(503);
      res.end('down for maintenance');
    };
    const url = await startServer();
    const before = readFileSync(snapshotPath);
    const { code, stderr } = await cpflow('calendar', 'refresh', '--url', url, '--out', snapshotPath);
    expect(code).toBe(1);
    expect(stderr).toMatch(/HTTP 503/);
    expect(readFileSync(snapshotPath)).toEqual(before);
  });

  it('refuses a feed of the wrong shape, naming the field', async () => {
    respond = (res) => {
      const feed = publishedFeed() as { 'england-and-wales': { events: { date: string }[] } };
      feed['england-and-wales'].events[0].date = '2024-02-30';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(feed));
    };
    const url = await startServer();
    const before = readFileSync(snapshotPath);
    const { code, stderr } = await cpflow('calendar', 'refresh', '--url', url, '--out', snapshotPath);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /not a valid gov\.uk bank-holiday feed: england-and-wales\.events\.0\.date: date must be a real date/,
    );
    expect(readFileSync(snapshotPath)).toEqual(before);
  });

  it('refuses a body that is not JSON', async () => {
    respond = (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>captive portal</html>');
    };
    const url = await startServer();
    const { code, stderr } = await cpflow('calendar', 'refresh', '--url', url, '--out', snapshotPath);
    expect(code).toBe(1);
    expect(stderr).toMatch(/the body is not JSON/);
  });
});
