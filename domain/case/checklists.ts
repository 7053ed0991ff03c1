/**
 * The procedure's checklists as closed enumerations, so a case records *which* item applies rather than
 * free text about the allegation. Each list cites its § of the Pan Bedfordshire guidelines.
 */

/** §2.6 — what a strategy discussion and any Section 47 enquiry must carefully consider (one id per question). */
export const STRATEGY_QUESTIONS_2_6 = [
  'child-at-immediate-risk-of-significant-harm',
  'impact-on-child-in-image-or-household',
  'other-children-visiting-household',
  'child-about-to-meet-person-contacting-them',
  'person-accessing-images-in-contact-with-children-at-work',
  'person-contacting-child-in-contact-with-children-at-work',
  'person-accessing-images-in-voluntary-work-or-position-of-trust',
  'person-contacting-child-in-voluntary-work-or-position-of-trust',
  'timescale-for-forensic-investigation',
  'relevant-offending-history',
  'contact-with-children-managed-during-investigation',
  'allegations-against-staff-procedure-triggered',
  'other-carer-able-to-protect',
  'implications-of-delay-in-criminal-investigation',
] as const;
/** One §2.6 question. */
export type StrategyQuestion = (typeof STRATEGY_QUESTIONS_2_6)[number];

/** §2.6 questions whose "yes" means the person works, volunteers or holds a position of trust with children. */
export const WORK_WITH_CHILDREN_QUESTIONS_2_6 = [
  'person-accessing-images-in-contact-with-children-at-work',
  'person-contacting-child-in-contact-with-children-at-work',
  'person-accessing-images-in-voluntary-work-or-position-of-trust',
  'person-contacting-child-in-voluntary-work-or-position-of-trust',
  'allegations-against-staff-procedure-triggered',
] as const satisfies readonly StrategyQuestion[];

/** The answer recorded against a §2.6 question. */
export const QUESTION_ANSWERS = ['yes', 'no', 'not-known'] as const;

/** §2.9 — key factors that may determine the risk of significant harm at an early stage. */
export const RISK_FACTORS_2_9 = [
  'previous-history-known-to-childrens-services',
  'previous-contact-abuse-of-other-children',
  'images-of-own-children',
  'partner-capacity-to-protect-significantly-compromised',
  'absence-of-cooperation',
  'understanding-concerns-own-child-may-be-at-risk',
  'risk-factors-associated-with-abuse-or-neglect',
  'known-criminal-lifestyle',
] as const;
/** One §2.9 risk factor. */
export type RiskFactor = (typeof RISK_FACTORS_2_9)[number];

/** §2.10 — the decision on the alleged person while the assessment runs. */
export const LEAVING_HOME_DECISIONS_2_10 = [
  'asked-to-leave-home',
  'remains-with-written-agreement',
  'remains-with-other-risk-management',
  'does-not-live-in-household',
] as const;

/** §2.11 — matters a written agreement covers. */
export const WRITTEN_AGREEMENT_TERMS_2_11 = [
  'supervised-contact',
  'no-entry-to-childrens-rooms',
  'no-sleep-overs',
  'internet-and-device-use',
  'lives-away-from-home',
  'other-recorded-in-case-file',
] as const;

/** §2.5 — image categories effective from 1 April 2014. */
export const IMAGE_CATEGORIES_2_5 = ['A', 'B', 'C'] as const;
/** One §2.5 image category. */
export type ImageCategory = (typeof IMAGE_CATEGORIES_2_5)[number];

/** §2.18 — information obtained from the police and own enquiries (each item present = recorded). */
export const INFORMATION_ITEMS_2_18 = [
  'commercial-source',
  'home-made-images',
  'news-boards-or-chat-rooms',
  'evidence-of-trading',
  'additional-material-found',
  'material-hidden',
  'other-technology-in-home',
  'child-centred-objects-without-resident-children',
  'children-present-while-viewing',
  'material-features-children-or-adults-known-to-alleged-person',
  'heavy-alcohol-or-disinhibiting-drug-use',
  'adult-pornography-present',
  'previous-relevant-professional-involvement',
  'obsessive-compulsive-behaviour',
  'history-of-domestic-abuse',
  'initial-indicators-of-abuse-or-neglect',
  'prior-criminal-history',
  'other-agency-concerns',
  'protective-factors-identified',
  'family-socially-isolated',
  'contact-with-children-beyond-family',
  'works-with-children-including-voluntary',
] as const;
/** One §2.18 information item. */
export type InformationItem = (typeof INFORMATION_ITEMS_2_18)[number];

/** §3.7 — factors of concern in a family. */
export const CONCERN_FACTORS_3_7 = [
  'previous-sexual-conviction-or-credible-allegation',
  'current-significant-substance-abuse',
  'violence-burglary-or-criminal-versatility',
  'history-of-domestic-abuse',
  'family-known-to-social-services',
  'offender-in-household-not-parent-or-partner',
  'recent-partner',
  'serial-partners-or-unstable-relationships',
  'parent-history-of-abuse-poor-parenting-or-care',
  'parent-mental-health-or-learning-disability',
  'child-disability-delay-or-communication-needs',
] as const;

/** §3.10 — key qualities of "good enough" protective parenting. */
export const PROTECTIVE_QUALITIES_3_10 = [
  'understands-and-accepts-what-partner-did',
  'good-self-esteem',
  'internal-locus-of-control',
  'provides-appropriate-attachment',
  'good-social-support-and-confidant',
  'not-dependent-on-partner',
  'cooperative-with-safeguarding-agencies',
] as const;

/** §2.23(b) — the four dimensions the analysis of information considers. */
export const RISK_ANALYSIS_DIMENSIONS_2_23 = ['severity', 'vulnerability', 'likelihood', 'safety'] as const;
/** §2.23(c) — harm consequences. */
export const HARM_CONSEQUENCES_2_23 = ['extreme', 'serious', 'concerning'] as const;
/** §2.23(c) — probability of harm. */
export const HARM_PROBABILITIES_2_23 = ['highly-likely', 'likely', 'unlikely'] as const;

/** Forensic findings reported by the police after examining seized devices (§2.5, §2.18). */
export const FORENSIC_FINDINGS = [
  'category-a-images',
  'category-b-images',
  'category-c-images',
  'images-of-household-children',
  'images-of-known-children',
  'production-of-images',
  'trading-of-images',
  'no-indecent-images-found',
] as const;
/** One forensic finding. */
export type ForensicFinding = (typeof FORENSIC_FINDINGS)[number];

/** Forensic findings that call for a new strategy discussion within the policy's deadline. */
export const SERIOUS_FORENSIC_FINDINGS = [
  'category-a-images',
  'images-of-household-children',
  'images-of-known-children',
  'production-of-images',
  'trading-of-images',
] as const satisfies readonly ForensicFinding[];

/**
 * Where the examination of seized devices stands, as a forensic update reports it (§2.4, §2.8). Bail, release
 * under investigation and the police's decision are events of their own.
 */
export const FORENSIC_STATUSES = ['awaiting-examination', 'examination-in-progress'] as const;

/** What the police did about pre-charge bail. */
export const BAIL_ACTIONS = [
  /** Released on pre-charge bail (a new bail start date). */
  'granted',
  /** The bail period extended (same start date, later end). */
  'extended',
  /** Bailed again after release under investigation or a lapse (a new bail start date). */
  're-bailed',
] as const;

/**
 * Who authorises a bail decision (PACE 1984 ss.30A, 47ZB–47ZG as amended by the Police, Crime, Sentencing and
 * Courts Act 2022): which one may set which limit is the policy's `preChargeBail`.
 */
export const BAIL_AUTHORITIES = ['custody-officer', 'inspector', 'superintendent', 'magistrates-court'] as const;
/** One bail authority. */
export type BailAuthority = (typeof BAIL_AUTHORITIES)[number];

/** The police's decision at the end of the investigation: either one ends the forensic wait. */
export const POLICE_OUTCOMES = ['charged', 'no-further-action'] as const;

/** Referral decisions (Working Together; census ReferralNFA N00112). */
export const REFERRAL_DECISIONS = ['section-47-enquiry', 'no-further-action', 'early-help'] as const;

/** Categories of abuse for a child protection plan (census InitialCategoryOfAbuse N00113). */
export const ABUSE_CATEGORIES = ['sexual-abuse', 'physical-abuse', 'emotional-abuse', 'neglect', 'multiple'] as const;

/** Reasons an ICPC is not required (census ICPCnotRequired N00111; §2.16 "significant factors against"). */
export const ICPC_NOT_REQUIRED_REASONS = [
  'significant-factors-against-conference',
  'no-continuing-contact-with-children',
  'concerns-not-substantiated',
  'child-moved-out-of-area',
] as const;

/**
 * Why a manager convenes an ICPC where §2.16 does not presume one (the alleged person neither lives with nor has
 * regular contact with children).
 */
export const CONVENING_REASONS_2_16 = [
  'likely-contact-with-children',
  'concerns-from-information-gathered',
  'concerns-from-protective-carer-assessment',
  'other-recorded-in-case-file',
] as const;

/** §5.1: whether and how the children are to be interviewed, as agreed at the strategy discussion. */
export const CHILD_INTERVIEW_DECISIONS_5_1 = [
  'video-interview',
  'interview',
  'not-to-be-interviewed',
  'to-be-decided-at-planning-meeting',
] as const;

/** Why a recorded event is corrected (amended or withdrawn); the original stays in the audit trail. */
export const CORRECTION_REASONS = ['recorded-in-error', 'wrong-date', 'wrong-details', 'recorded-twice'] as const;

/** LADO outcomes (Working Together, allegations against people who work with children). */
export const LADO_OUTCOMES = ['substantiated', 'malicious', 'false', 'unsubstantiated', 'unfounded'] as const;

/** Reasons a step is marked not required. */
export const NOT_REQUIRED_REASONS = [
  'not-applicable-to-household',
  'completed-by-another-agency',
  'superseded-by-later-step',
  'child-moved-out-of-area',
  'other-recorded-in-case-file',
] as const;

/** Reasons a manager may agree to extend a deadline. */
export const EXTENSION_REASONS = [
  'family-unavailable',
  'interpreter-needed',
  'awaiting-partner-agency',
  'awaiting-police-forensic-results',
  'practitioner-absence',
  'child-unwell',
  'other-recorded-in-case-file',
] as const;

/** Reasons a case is closed (census ReasonForClosure N00103, RC1–RC9). */
export const CLOSURE_REASONS = [
  'adopted',
  'died',
  'child-arrangements-order',
  'special-guardianship-order',
  'transferred-to-another-local-authority',
  'transferred-to-adult-services',
  'services-ceased-other-reason',
  'no-further-action-after-assessment',
  'referred-to-early-help-after-assessment',
] as const;
