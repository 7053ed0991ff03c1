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
    expect(parseRecipientRef('practitioner:sw-0123')).toEqual({ role: 'practitioner', staffId: 'sw-0123' });
    expect(parseRecipientRef('team-manager:team-north')).toEqual({ role: 'team-manager', teamId: 'team-north' });
    expect(parseRecipientRef('lado')).toEqual({ role: 'lado' });
    expect(parseRecipientRef('service-manager:sm-0301')).toEqual({ role: 'service-manager', staffId: 'sm-0301' });
    expect(parseRecipientRef('lado:lado-0301')).toEqual({ role: 'lado', staffId: 'lado-0301' });
  });

  it('refuse anything else, naming the rule', () => {
    expect(() => parseRecipientRef('jane.smith@council.example')).toThrow(InvalidRecipientRefError);
    expect(() => practitionerRecipient('Jane Smith')).toThrow(/staff id must be like sw-0042/);
  });
});

describe('staff directory', () => {
  it('resolves each role from the example file used by docker-compose, per authority', async () => {
    const directory = new FileStaffDirectory(example);
    await expect(directory.resolve('practitioner:sw-0042')).resolves.toEqual({
      role: 'practitioner',
      address: 'practitioner.sw-0042@cpflow.test',
    });
    await expect(directory.resolve('team-manager:team-north')).resolves.toEqual({
      role: 'team-manager',
      address: 'team-manager.tm-007@cpflow.test',
    });
    await expect(directory.resolve('service-manager:sm-0301')).resolves.toEqual({
      role: 'service-manager',
      address: 'service-manager.luton@cpflow.test',
    });
    await expect(directory.resolve('lado:lado-0101')).resolves.toEqual({
      role: 'lado',
      address: 'lado.bedford-borough@cpflow.test',
    });
    // A policy naming no service manager or LADO: the directory's own, and here it has none.
    await expect(directory.resolve('service-manager')).rejects.toThrow(UnknownRecipientError);
    await expect(directory.resolve('lado')).rejects.toThrow(UnknownRecipientError);
  });

  it('re-reads the file, so a fixed directory lets a retried notification through', async () => {
    const file = path.join(dir, 'directory.json');
    await writeFile(file, JSON.stringify({ staff: {} }));
    const directory = new FileStaffDirectory(file);
    await expect(directory.resolve('practitioner:sw-0009')).rejects.toThrow(UnknownRecipientError);
    await writeFile(file, JSON.stringify({ staff: { 'sw-0009': 'p9@council.example' } }));
    await expect(directory.resolve('practitioner:sw-0009')).resolves.toMatchObject({ address: 'p9@council.example' });
  });

  it('names the file and field of a malformed directory', async () => {
    const file = path.join(dir, 'directory.json');
    await writeFile(
      file,
      JSON.stringify({ staff: { 'sw-0001': 'not-an-address' }, teams: { 'team-one': { manager: 'sw-0001' } } }),
    );
    await expect(new FileStaffDirectory(file).load()).rejects.toThrow(StaffDirectoryError);
    await expect(new FileStaffDirectory(file).load()).rejects.toThrow(
      `${file}: staff.sw-0001: must be an email address`,
    );
    await expect(new FileStaffDirectory(path.join(dir, 'missing.json')).load()).rejects.toThrow(
      /cannot read staff directory \(ENOENT\)/,
    );
    expect(() => new InMemoryStaffDirectory({ staff: {}, nickname: 'x' } as never)).toThrow(/Unrecognized key/);
  });

  it('says which link is missing', async () => {
    const directory = new InMemoryStaffDirectory({
      staff: { 'tm-0001': 'm1@council.example' },
      teams: { 'team-one': { manager: 'tm-0002' } },
    });
    await expect(directory.resolve('team-manager:team-one')).rejects.toThrow(
      'recipient team-manager:team-one: manager tm-0002 has no email address in the staff directory',
    );
    await expect(directory.resolve('service-manager')).rejects.toThrow('the service manager has no email address');
    await expect(directory.resolve('lado')).rejects.toThrow('no LADO address in the staff directory');
  });

  it('makes up local addresses for trials with the SMTP sink', async () => {
    await expect(new SyntheticStaffDirectory().resolve('team-manager:team-one')).resolves.toEqual({
      role: 'team-manager',
      address: 'team-manager.team-one@cpflow.test',
    });
  });
});
