/**
 * The new-referral form: what a duty worker types, turned into the referral every other way in sends
 * (validated by the same schema when the case opens), and the case's refusals mapped back onto the form's fields.
 */
import type { Refusal } from '../../domain/rules';
import { list, type PostedForm, postedDate, single } from './event-form';

/** The alleged person's circumstances the form asks about (§1.7, §2.3, §2.6, §2.16, §2.18). */
export const ALLEGED_PERSON_CHOICES = [
  { value: 'livesWithChildren', text: 'Lives in a household with children' },
  { value: 'regularContactWithChildren', text: 'Has regular contact with children outside the household' },
  { value: 'worksOrVolunteersWithChildren', text: 'Works or volunteers with children' },
  { value: 'holdsPositionOfTrust', text: 'Holds a position of trust' },
  { value: 'youngPerson', text: 'Is a young person (under 18)' },
] as const;

/** The referral a posted form describes, for the duty worker's team and authority. */
export function referralFromForm(posted: PostedForm, team: { teamId: string; authority: string }): unknown {
  const ages = single(posted.childAges)
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .map((a) => (/^\d+$/.test(a) ? Number(a) : a));
  const flags = list(posted.allegedPerson);
  const count = single(posted.devicesCount);
  const reference = single(posted.policeReference);
  const arrestedOn = postedDate(posted, 'arrestedOn');
  const seizedOn = postedDate(posted, 'seizedOn');
  const bail = postedDate(posted, 'bailGrantedOn');
  return {
    caseReference: single(posted.caseReference),
    authority: team.authority,
    teamId: team.teamId,
    practitionerId: single(posted.practitionerId),
    receivedOn: postedDate(posted, 'receivedOn') ?? '',
    children: ages.map((age) => ({ age })),
    allegedPerson: {
      livesWithChildren: flags.includes('livesWithChildren'),
      regularContactWithChildren: flags.includes('regularContactWithChildren'),
      worksOrVolunteersWithChildren: flags.includes('worksOrVolunteersWithChildren'),
      holdsPositionOfTrust: flags.includes('holdsPositionOfTrust'),
      ...(flags.includes('youngPerson') ? { youngPerson: true } : {}),
    },
    police: {
      ...(reference === '' ? {} : { reference }),
      ...(arrestedOn === undefined ? {} : { arrestedOn }),
      devicesSeized: {
        count: count === '' ? 0 : /^\d+$/.test(count) ? Number(count) : count,
        ...(seizedOn === undefined ? {} : { seizedOn }),
      },
      ...(bail === undefined ? {} : { preChargeBailGrantedOn: bail }),
    },
  };
}

/** The form's questions, with where the summary links and how each is named. */
const FIELDS: readonly { path: RegExp; anchor: string; label: string }[] = [
  { path: /^referral\.caseReference/, anchor: 'caseReference', label: 'Case reference' },
  { path: /^referral\.practitionerId/, anchor: 'practitionerId', label: 'Practitioner' },
  { path: /^referral\.receivedOn/, anchor: 'receivedOn-day', label: 'Date the referral was received' },
  { path: /^referral\.children/, anchor: 'childAges', label: 'Ages of the children' },
  { path: /^referral\.allegedPerson/, anchor: 'allegedPerson', label: 'The alleged person' },
  { path: /^referral\.police\.reference/, anchor: 'policeReference', label: 'Police reference' },
  { path: /^referral\.police\.arrestedOn/, anchor: 'arrestedOn-day', label: 'Date of arrest' },
  { path: /^referral\.police\.devicesSeized\.count/, anchor: 'devicesCount', label: 'Devices seized' },
  { path: /^referral\.police\.devicesSeized\.seizedOn/, anchor: 'seizedOn-day', label: 'Date devices were seized' },
  { path: /^referral\.police\.preChargeBail/, anchor: 'bailGrantedOn-day', label: 'Date bail was granted' },
];

/** A refusal of the referral as the GOV.UK error summary shows it. */
export function referralErrors(refusals: readonly Refusal[]): { href: string; text: string; field: string }[] {
  return refusals.map((r) => {
    const field = FIELDS.find((f) => f.path.test(r.field));
    return {
      href: `#${field?.anchor ?? 'main-content'}`,
      field: field?.anchor ?? '',
      text: `${field?.label ?? 'Referral'}: ${r.rule}`,
    };
  });
}
