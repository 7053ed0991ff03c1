import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRecipientRefError, parseRecipientRef, practitionerRecipient } from '../../domain/notifications';
import { StaffDirectoryError, UnknownRecipientError } from '../../mail/errors';
import { FileStaffDirectory, InMemoryStaffDirectory, SyntheticStaffDirectory } from '../../mail/staff-directory';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cpflow-dir-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const example = path.resolve(__dirname, '../../mail/directory.example.json');

describe('recipient references', () => {
  it('parse into role and id', () => {
    expect(parseRecipientRef('practitioner:P123')).toEqual({ role: 'practitioner', staffId: 'P123' });
    expect(parseRecipientRef('team-manager:T-NORTH')).toEqual({ role: 'team-manager', teamId: 'T-NORTH' });
    expect(parseRecipientRef('lado')).toEqual({ role: 'lado' });
  });

  it('refuse anything else, naming the rule', () => {
    expect(() => parseRecipientRef('jane.smith@council.example')).toThrow(InvalidRecipientRefError);
    expect(() => practitionerRecipient('Jane Smith')).toThrow(/staff id must be letters, digits/);
  });
});

describe('staff directory', () => {
  it('resolves each role from the example file used by docker-compose', async () => {
    const directory = new FileStaffDirectory(example);
    await expect(directory.resolve('practitioner:P123')).resolves.toEqual({
      role: 'practitioner',
      address: 'practitioner.P123@cpflow.test',
    });
    await expect(directory.resolve('team-manager:T-NORTH')).resolves.toEqual({
      role: 'team-manager',
      address: 'team-manager.M7@cpflow.test',
    });
    await expect(directory.resolve('service-manager')).resolves.toMatchObject({
      address: 'service-manager.S1@cpflow.test',
    });
    await expect(directory.resolve('lado')).resolves.toMatchObject({ address: 'lado@cpflow.test' });
  });

  it('re-reads the file, so a fixed directory lets a retried notification through', async () => {
    const file = path.join(dir, 'directory.json');
    await writeFile(file, JSON.stringify({ staff: {} }));
    const directory = new FileStaffDirectory(file);
    await expect(directory.resolve('practitioner:P9')).rejects.toThrow(UnknownRecipientError);
    await writeFile(file, JSON.stringify({ staff: { P9: 'p9@council.example' } }));
    await expect(directory.resolve('practitioner:P9')).resolves.toMatchObject({ address: 'p9@council.example' });
  });

  it('names the file and field of a malformed directory', async () => {
    const file = path.join(dir, 'directory.json');
    await writeFile(file, JSON.stringify({ staff: { P1: 'not-an-address' }, teams: { T1: { manager: 'P1' } } }));
    await expect(new FileStaffDirectory(file).load()).rejects.toThrow(StaffDirectoryError);
    await expect(new FileStaffDirectory(file).load()).rejects.toThrow(`${file}: staff.P1: must be an email address`);
    await expect(new FileStaffDirectory(path.join(dir, 'missing.json')).load()).rejects.toThrow(
      /cannot read staff directory \(ENOENT\)/,
    );
    expect(() => new InMemoryStaffDirectory({ staff: {}, nickname: 'x' } as never)).toThrow(/Unrecognized key/);
  });

  it('says which link is missing', async () => {
    const directory = new InMemoryStaffDirectory({
      staff: { M1: 'm1@council.example' },
      teams: { T1: { manager: 'M2' } },
    });
    await expect(directory.resolve('team-manager:T1')).rejects.toThrow(
      'recipient team-manager:T1: manager M2 has no email address in the staff directory',
    );
    await expect(directory.resolve('service-manager')).rejects.toThrow('the service manager has no email address');
    await expect(directory.resolve('lado')).rejects.toThrow('no LADO address in the staff directory');
  });

  it('makes up local addresses for trials with the SMTP sink', async () => {
    await expect(new SyntheticStaffDirectory().resolve('team-manager:T1')).resolves.toEqual({
      role: 'team-manager',
      address: 'team-manager.T1@cpflow.test',
    });
  });
});
