/** Where cpflow keeps its local state: the embedded Temporal database, runtime.json, mailbox, sent log. */
import path from 'node:path';

/** The data directory: `CPFLOW_DATA_DIR` if set, else `.cpflow-data` in the current directory. */
export function cpflowDataDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const configured = env.CPFLOW_DATA_DIR;
  return path.resolve(cwd, configured !== undefined && configured !== '' ? configured : '.cpflow-data');
}
