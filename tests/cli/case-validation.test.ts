import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventFile } from '../../cli/cases/inputs';
import { closureEvent, extensionEvent, reassignmentEvent } from '../../cli/cases/command-events';
import { holidayTargets } from '../../cli/cases/apply-holidays';
import { parseIsoDate } from '../../domain/calendar';
import { CASE_EVENT_TYPES } from '../../domain/case';
import { cpflow, ROOT } from './support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'cpflow-case-'));
const offline = { CPFLOW_DATA_DIR: dir };
const d = (s: string) => parseIsoDate(s, 'test');

function file(name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

describe('cpflow case: arguments and event files refused before connecting', () => {
  it('refuses an unknown event type, listing the known ones', async () => {
    const run = await cpflow(
      ['case', 'record', 'CP-2026-000123', 'tea-party', '--file', join(ROOT, 'examples/events/visit.json')],
      offline,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('event-type: must be one of: referral-decision, strategy-discussion');
  });

  it('refuses a malformed case reference and a bad event field, naming them', async () => {
    const badRef = await cpflow(
      ['case', 'record', 'Smith family', 'visit', '--file', join(ROOT, 'examples/events/visit.json')],
      offline,
    );
    expect(badRef.code).not.toBe(0);
    expect(badRef.stderr).toContain('case reference: must be a case reference like CP-2026-000123');
    expect(badRef.stderr).not.toContain('Smith');

    const badEvent = file('icpc.json', { recordedBy: 'sw-0042', outcome: 'child-protection-plan' });
    const run = await cpflow(
      ['case', 'record', 'CP-2026-000123', 'icpc', '--file', badEvent, '--on', '2026-11-18'],
      offline,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('icpc.json: invalid case event:');
    expect(run.stderr).toContain('category: is required when the outcome is a child protection plan');
  });

  it('refuses convenience options with the option and the rule', async () => {
    const reason = await cpflow(['case', 'close', 'CP-2026-000123', '--reason', 'bored', '--by', 'sw-0042'], offline);
    expect(reason.code).not.toBe(0);
    expect(reason.stderr).toContain('--reason: must be one of: adopted, died');
    const by = await cpflow(['case', 'reassign', 'CP-2026-000123', '--to', 'sw-0077', '--by', 'Mary'], offline);
    expect(by.code).not.toBe(0);
    expect(by.stderr).toContain('--by: must be a staff id like sw-0042');
    expect(by.stderr).not.toContain('Mary');
    const date = await cpflow(
      [
        'case',
        'extend',
        'CP-2026-000123',
        'icpc',
        '--to',
        '2026-13-01',
        '--reason',
        'interpreter-needed',
        '--agreed-by',
        'tm-007',
        '--by',
        'sw-0042',
      ],
      offline,
    );
    expect(date.code).not.toBe(0);
    expect(date.stderr).toContain('--to: month must be between 01 and 12');
  });

  it('refuses holidays apply with both --all-open and case references, or neither', async () => {
    const both = await cpflow(
      [
        'case',
        'holidays',
        'apply',
        'CP-2026-000123',
        '--all-open',
        '--date',
        '2026-12-29',
        '--name',
        'Extra bank holiday',
      ],
      offline,
    );
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give either --all-open or case references, not both');
    expect(() => holidayTargets(false, [])).toThrow('name the cases to update, or give --all-open');
    expect(holidayTargets(false, ['CP-2026-000001', 'CP-2026-000001'])).toEqual({ caseReferences: ['CP-2026-000001'] });
  });
});

describe('event files and convenience forms', () => {
  it('fills type from the argument, defaults occurredOn, and lets --on/--by replace the file', () => {
    const event = readEventFile(join(ROOT, 'examples/events/partner-interview.json'), 'partner-interview', {
      defaults: { occurredOn: d('2026-11-20') },
    });
    expect(event).toEqual({ type: 'partner-interview', occurredOn: '2026-11-20', recordedBy: 'sw-0042' });
    const overridden = readEventFile(join(ROOT, 'examples/events/partner-interview.json'), 'partner-interview', {
      overrides: { occurredOn: d('2026-11-19'), recordedBy: 'sw-0077' },
      defaults: { occurredOn: d('2026-11-20') },
    });
    expect(overridden).toMatchObject({ occurredOn: '2026-11-19', recordedBy: 'sw-0077' });
  });

  it('refuses a file that names another event type', () => {
    const path = file('mismatch.json', { type: 'visit', recordedBy: 'sw-0042', occurredOn: '2026-11-18' });
    expect(() => readEventFile(path, 'core-group')).toThrow(
      'mismatch.json: type: the file records a different event type than the command (core-group)',
    );
  });

  it('ships one valid example file per common event type', () => {
    const shipped = [
      'referral-decision',
      'strategy-discussion',
      'partner-interview',
      'alleged-perpetrator-interview',
      'information-gathered',
      'assessment-completed',
      'icpc',
      'visit',
      'core-group',
      'review-conference',
      'written-agreement',
      'forensic-update',
      'forensic-results',
      'lado-referral-sent',
      'lado-outcome',
      'step-not-required',
      'deadline-extended',
      'practitioner-reassigned',
      'case-closed',
    ] as const;
    for (const type of shipped) {
      expect(CASE_EVENT_TYPES).toContain(type);
      const event = readEventFile(join(ROOT, `examples/events/${type}.json`), type, {
        defaults: { occurredOn: d('2026-11-20') },
      });
      expect(event.type).toBe(type);
    }
  });

  it('maps the convenience forms onto case events', () => {
    expect(reassignmentEvent({ by: 'tm-007', on: d('2026-11-20'), to: 'sw-0077', team: 'team-south' })).toEqual({
      type: 'practitioner-reassigned',
      occurredOn: '2026-11-20',
      recordedBy: 'tm-007',
      practitionerId: 'sw-0077',
      teamId: 'team-south',
    });
    expect(
      extensionEvent({
        by: 'sw-0042',
        on: d('2026-11-20'),
        stepId: 'icpc',
        to: d('2026-12-10'),
        reason: 'interpreter-needed',
        agreedBy: 'tm-007',
      }),
    ).toEqual({
      type: 'deadline-extended',
      occurredOn: '2026-11-20',
      recordedBy: 'sw-0042',
      stepId: 'icpc',
      newDueDate: '2026-12-10',
      reason: 'interpreter-needed',
      agreedBy: 'tm-007',
    });
    expect(closureEvent({ by: 'sw-0042', on: d('2026-11-20'), reason: 'adopted' })).toMatchObject({
      type: 'case-closed',
      reason: 'adopted',
    });
    expect(() => closureEvent({ by: 'sw-0042', on: d('2026-11-20'), reason: 'bored' })).toThrow(
      'case close: invalid case event:\nreason: must be one of',
    );
  });
});
