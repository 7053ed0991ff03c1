import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDueDate,
  InvalidNotificationError,
  NOTIFICATION_KINDS,
  type NotificationEmailInput,
  RECIPIENT_ROLES,
  renderNotificationEmail,
} from '../../domain/notifications';

const sample: NotificationEmailInput = {
  caseReference: 'CP-2026-000042',
  stepId: 'strategy-discussion',
  stepTitle: 'Strategy discussion',
  dueDate: '2026-03-03',
  kind: 'reminder',
  recipientRole: 'practitioner',
  caseUrl: 'https://cases.example.org/cases/CP-2026-000042',
};

/** Replaces every allowed fact in the text by a placeholder, leaving only the fixed template. */
function template(text: string, input: NotificationEmailInput): string {
  return text
    .split(input.caseUrl)
    .join('<URL>')
    .split(input.stepTitle)
    .join('<TITLE>')
    .split(input.caseReference)
    .join('<REF>')
    .split(input.stepId)
    .join('<STEP>')
    .split(formatDueDate(input.dueDate))
    .join('<DATE>')
    .split(input.dueDate)
    .join('<ISO>');
}

const inputs = fc.record({
  caseReference: fc.stringMatching(/^CP-20[0-9]{2}-[0-9]{6}$/),
  stepId: fc.stringMatching(/^zz[a-z]{3,10}(-[a-z]{2,8}){0,2}$/),
  stepTitle: fc.stringMatching(/^Qx[a-z]{3,10}( [a-z]{3,10}){0,3}$/),
  dueDate: fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  kind: fc.constantFrom(...NOTIFICATION_KINDS),
  recipientRole: fc.constantFrom(...RECIPIENT_ROLES),
  caseUrl: fc.stringMatching(/^[a-z]{3,10}$/).map((host) => `https://${host}.example.org/c/x`),
});

describe('notification email', () => {
  it('names the case reference, step, due date and where to look', () => {
    const email = renderNotificationEmail(sample);
    expect(email.subject).toBe(
      '[cpflow] Reminder: Strategy discussion due Tuesday, 3 March 2026 (case CP-2026-000042)',
    );
    expect(email.text).toContain('Case reference: CP-2026-000042');
    expect(email.text).toContain('Step:           Strategy discussion [strategy-discussion]');
    expect(email.text).toContain('Due:            Tuesday, 3 March 2026 (2026-03-03)');
    expect(email.text).toContain('Where to look:  https://cases.example.org/cases/CP-2026-000042');
    expect(email.text).toContain('practitioner assigned to the case');
  });

  it('words each kind differently', () => {
    const subjects = NOTIFICATION_KINDS.map((kind) => renderNotificationEmail({ ...sample, kind }).subject);
    expect(new Set(subjects).size).toBe(NOTIFICATION_KINDS.length);
    expect(
      renderNotificationEmail({ ...sample, kind: 'overdue-escalation', recipientRole: 'team-manager' }),
    ).toMatchObject({
      subject: '[cpflow] Escalation: Strategy discussion overdue since Tuesday, 3 March 2026 (case CP-2026-000042)',
    });
    expect(renderNotificationEmail({ ...sample, kind: 'lado-referral', recipientRole: 'lado' }).text).toContain(
      'Local Authority Designated Officer (LADO)',
    );
  });

  it('contains only the allowed facts: apart from them, the text is a fixed template per kind and role', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const email = renderNotificationEmail(input);
        const reference = renderNotificationEmail({ ...sample, kind: input.kind, recipientRole: input.recipientRole });
        expect(template(email.subject, input)).toBe(template(reference.subject, { ...sample, ...pick(input) }));
        expect(template(email.text, input)).toBe(template(reference.text, { ...sample, ...pick(input) }));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses any field beyond the allowed facts, without echoing its value', () => {
    const withName = { ...sample, childName: 'Alex Example' } as unknown as NotificationEmailInput;
    expect(() => renderNotificationEmail(withName)).toThrow(InvalidNotificationError);
    expect(() => renderNotificationEmail(withName)).toThrow(/1 field\(s\) not allowed in a notification/);
    expect(() => renderNotificationEmail(withName)).not.toThrow(/childName/);
    expect(() => renderNotificationEmail(withName)).not.toThrow(/Alex/);
    // The type has no such field either: this line must not compile if it gains one.
    const withAddress: NotificationEmailInput = {
      ...sample,
      // @ts-expect-error -- the input type has no field for an address
      address: '1 High Street',
    };
    expect(() => renderNotificationEmail(withAddress)).toThrow(/1 field\(s\) not allowed/);
    expect(() => renderNotificationEmail(withAddress)).not.toThrow(/High Street|address/);
  });

  it('names the field and rule for bad values', () => {
    expect(() => renderNotificationEmail({ ...sample, dueDate: '2026-02-30' })).toThrow(
      /dueDate: must be a real calendar date/,
    );
    expect(() => renderNotificationEmail({ ...sample, caseReference: 'Jane Smith' })).toThrow(
      /caseReference: must be a case reference like CP-2026-000123/,
    );
    expect(() => renderNotificationEmail({ ...sample, stepTitle: 'ask jane@example.org' })).toThrow(
      /stepTitle: must be a single line/,
    );
    expect(() => renderNotificationEmail({ ...sample, caseUrl: 'javascript:alert(1)' })).toThrow(
      /caseUrl: must be an http\(s\) URL/,
    );
    expect(() => renderNotificationEmail({ ...sample, kind: 'birthday' as NotificationEmailInput['kind'] })).toThrow(
      /kind: must be one of reminder, due-today/,
    );
  });
});

function pick(input: NotificationEmailInput): Pick<NotificationEmailInput, 'kind' | 'recipientRole'> {
  return { kind: input.kind, recipientRole: input.recipientRole };
}
