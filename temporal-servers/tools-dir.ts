/** Where provisioned servers are cached: `.tools/` in the repository (git-ignored), or `CPFLOW_TOOLS_DIR`. */
import path from 'node:path';
import { PROJECT_ROOT } from '../config/locations';

/** The repository root (also when running compiled, from `dist/`). */
export const REPOSITORY_ROOT = PROJECT_ROOT;

/** The tools cache directory. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CPFLOW_TOOLS_DIR;
  return configured !== undefined && configured !== ''
    ? path.resolve(configured)
    : path.join(REPOSITORY_ROOT, '.tools');
}
