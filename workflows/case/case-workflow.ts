/** The case workflow (work in progress: the contract is in messages.ts). */
import type { CaseWorkflowInput } from './messages';

/** Runs one case from referral to closure. */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<void> {
  await Promise.resolve(input);
}
