/**
 * The workflows the cpflow worker runs (bundled by the worker from this file): one `caseWorkflow` per case
 * (id = case reference) and its two children, the LADO referral (`<ref>-lado`) and the forensic wait
 * (`<ref>-forensic`). Message definitions live next to each workflow, in its `messages.ts`.
 */
export { caseWorkflow } from './case/case-workflow';
export { ladoWorkflow } from './lado/lado-workflow';
export { forensicWaitWorkflow } from './forensic/forensic-workflow';
