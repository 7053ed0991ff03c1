/**
 * The referral that opens a case. Pseudonymous by construction: a case reference, opaque staff/team ids,
 * children's ages only (no names, no dates of birth) and yes/no facts about the alleged person.
 */
import { z } from 'zod';
import { CaseReferenceSchema, PoliceReferenceSchema, StaffIdSchema, TeamIdSchema } from './identifiers';
import { IsoDateSchema } from './iso-date-schema';

/** A child in the household, known by age only. */
export const ChildSchema = z.strictObject({
  age: z
    .number({ error: 'must be a whole number of years' })
    .int({ error: 'must be a whole number of years' })
    .min(0, { error: 'must be 0 or more' })
    .max(17, { error: 'must be 17 or less (a child is under 18)' }),
});

/** What is known about the alleged person's contact with children (§2.3, §2.6, §2.16, §2.18). */
export const AllegedPersonSchema = z.strictObject({
  /** Lives in a household with children (§2.3, §2.16). */
  livesWithChildren: z.boolean({ error: 'must be true or false' }),
  /** Has regular contact with children outside the household (§2.16). */
  regularContactWithChildren: z.boolean({ error: 'must be true or false' }),
  /** Works or volunteers with children (§2.6, §2.18 → LADO). */
  worksOrVolunteersWithChildren: z.boolean({ error: 'must be true or false' }),
  /** Holds a position of trust (§2.6 → LADO). */
  holdsPositionOfTrust: z.boolean({ error: 'must be true or false' }),
  /** Is a young person (under 18): a specialist route (§1.7). */
  youngPerson: z.boolean({ error: 'must be true or false' }).optional(),
});

/** The police side of the referral: reference, arrest, seized devices, pre-charge bail (§2.4, §2.8). */
export const PoliceInvolvementSchema = z
  .strictObject({
    reference: PoliceReferenceSchema.optional(),
    arrestedOn: IsoDateSchema.optional(),
    devicesSeized: z.strictObject({
      count: z
        .number({ error: 'must be a whole number' })
        .int({ error: 'must be a whole number' })
        .min(0, { error: 'must be 0 or more' }),
      /** Required when count > 0: the forensic wait's police updates count from it. */
      seizedOn: IsoDateSchema.optional(),
    }),
    /** Date pre-charge bail was granted; the bail milestones (3, 6, 9 months) count from it. */
    preChargeBailGrantedOn: IsoDateSchema.optional(),
  })
  .superRefine((police, ctx) => {
    if (police.devicesSeized.count > 0 && police.devicesSeized.seizedOn === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['devicesSeized', 'seizedOn'],
        message: 'is required when devices were seized (count > 0)',
      });
    }
  });

/** A referral to Children's Services about an adult suspected of viewing child sexual abuse images. */
/** The most children one referral's household may list: bounds what a case carries in every run. */
export const MAX_CHILDREN = 30;

export const ReferralSchema = z.strictObject({
  caseReference: CaseReferenceSchema,
  /** The local authority the case belongs to: one the policy serves (e.g. `luton`). */
  authority: z
    .string({ error: 'must be an authority id string' })
    .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be an authority id like luton or bedford-borough' }),
  teamId: TeamIdSchema,
  practitionerId: StaffIdSchema,
  /** Date the referral was received (census CINreferralDate N00100); may be a weekend or holiday. */
  receivedOn: IsoDateSchema,
  /** Children in the household, ages only. */
  children: z
    .array(ChildSchema, { error: 'must be a list of children (ages only)' })
    .max(MAX_CHILDREN, { error: `must list at most ${MAX_CHILDREN} children (one household)` }),
  allegedPerson: AllegedPersonSchema,
  police: PoliceInvolvementSchema,
});

/** A validated referral. */
export type Referral = z.output<typeof ReferralSchema>;
/** A referral as received (dates as plain strings). */
export type ReferralInput = z.input<typeof ReferralSchema>;
