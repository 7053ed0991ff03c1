/** The forensic-wait child workflow (work in progress). */

/** Follows the police's forensic examination of seized devices. */
export async function forensicWaitWorkflow(): Promise<void> {
  await Promise.resolve();
}
