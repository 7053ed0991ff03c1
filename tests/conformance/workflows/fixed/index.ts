/** The fixed version of `taskFailer` (deployed after the bug made its workflow task fail). */
/** Fixed: completes. */
export async function taskFailer(): Promise<string> {
  return 'fixed';
}
