import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpflow, ROOT } from './support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'cpflow-referral-'));
/** No server anywhere: a data dir without runtime.json. */
const offline = { CPFLOW_DATA_DIR: dir };
const example = JSON.parse(readFileSync(join(ROOT, 'examples/referral.json'), 'utf8')) as Record<string, unknown>;

function referralFile(name: string, data: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

describe('cpflow referral create: refusing bad input before connecting', () => {
  it('names every bad field and its rule, and never echoes the values', async () => {
    const file = referralFile('bad-referral.json', {
      ...example,
      caseReference: 'Jane Smith',
      children: [{ age: 19 }],
      police: { devicesSeized: { count: 2 } },
    });
    const run = await cpflow(['referral', 'create', '--file', file], offline);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('bad-referral.json: invalid referral:');
    expect(run.stderr).toContain('caseReference: must be a case reference like CP-2026-000123');
    expect(run.stderr).toContain('children[0].age: must be 17 or less');
    expect(run.stderr).toContain('police.devicesSeized.seizedOn: is required when devices were seized');
    expect(run.stderr).not.toContain('Jane');
  });

  it('refuses staff and teams the configured directory does not hold, naming the field, not the id', async () => {
    const file = referralFile('unknown-staff.json', { ...example, practitionerId: 'sw-0555', teamId: 'team-emma' });
    const run = await cpflow(['referral', 'create', '--file', file], {
      ...offline,
      CPFLOW_DIRECTORY_FILE: join(ROOT, 'mail/directory.example.json'),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('practitionerId: must be a member of staff in the staff directory');
    expect(run.stderr).toContain('teamId: must be a team in the staff directory');
    expect(run.stderr).not.toMatch(/sw-0555|team-emma/);
  });

  it('refuses unknown fields (no free text about the family)', async () => {
    const file = referralFile('extra.json', { ...example, childName: 'x' });
    const run = await cpflow(['referral', 'create', '--file', file], offline);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has a field that is not part of it');
    expect(run.stderr).not.toContain('childName');
  });

  it('refuses a missing file and a file that is not JSON, naming the file', async () => {
    const missing = await cpflow(['referral', 'create', '--file', join(dir, 'nope.json')], offline);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.json: no such file');
    const notJson = await cpflow(
      ['referral', 'create', '--file', referralFile('broken.json', '{ "caseReference": secret')],
      offline,
    );
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain('broken.json: is not valid JSON');
    expect(notJson.stderr).not.toContain('secret');
  });

  it('refuses an unknown policy', async () => {
    const run = await cpflow(
      ['referral', 'create', '--file', join(ROOT, 'examples/referral.json'), '--policy', 'atlantis'],
      offline,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown policy 'atlantis'");
  });

  it('says how to start cpflow when nothing is running', async () => {
    const run = await cpflow(['referral', 'create', '--file', join(ROOT, 'examples/referral.json')], offline);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cpflow is not running');
    expect(run.stderr).toContain('npm start');
  });
});
