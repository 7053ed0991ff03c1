/** Finding programs on the PATH. */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The full path of an executable on the PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Whether a file exists and may be executed. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The `java` to run: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else the one on the PATH. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.JAVA_HOME) {
    const candidate = path.join(env.JAVA_HOME, 'bin', 'java');
    if (isExecutable(candidate)) return candidate;
  }
  return findOnPath('java', env);
}
