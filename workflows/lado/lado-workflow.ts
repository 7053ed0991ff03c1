/** The LADO referral child workflow (work in progress). */

/** Sends the LADO referral and chases its acknowledgement and outcome. */
export async function ladoWorkflow(): Promise<void> {
  await Promise.resolve();
}
