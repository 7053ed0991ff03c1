/**
 * The LADO child workflow's contract (workflow id `${caseReference}-lado`, started by the case). Node-free.
 *
 * Interplay with the case (design):
 * - the case starts it the moment it learns (referral flags, §2.6 answer, §2.18 item) that the alleged person
 *   works or volunteers with children or holds a position of trust (`ladoTrigger_2_6_2_18`);
 * - the case forwards the events that concern it — `lado-referral-sent` (sent by hand),
 *   `lado-referral-acknowledged`, `lado-outcome`, `case-closed` — with the `caseMessage` signal over the case's
 *   channel, and the whole list again when one of them is corrected;
 * - it reports back with the case's `childReport` signal: the referral email sent (the case then records
 *   `lado-referral-sent` as the system actor, completing the `lado-referral` step), each chase, the outcome.
 */
import { defineQuery } from '@temporalio/workflow';
import type { LadoStart, LadoStatus } from '../../domain/case-process';

export type { LadoResult, LadoStatus } from '../../domain/case-process';

/** Input of `ladoWorkflow`: what the case decided to start it with, and the key of the case's channel. */
export type LadoWorkflowInput = LadoStart & { readonly channel: string };

/** The LADO referral's status. */
export const ladoStatusQuery = defineQuery<LadoStatus>('ladoStatus');
