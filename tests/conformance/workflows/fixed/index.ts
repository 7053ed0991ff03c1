/** The fixed version of `taskFailer` (deployed after the bug made its workflow task fail). */
import { sleep } from '@temporalio/workflow';

/** Fixed: completes. */
export async function taskFailer(): Promise<string> {
  await sleep('1 minute');
  return 'fixed';
}
