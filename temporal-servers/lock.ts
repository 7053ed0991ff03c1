/**
 * A lock directory held while a server is provisioned, so two processes (say `npm start` and `npm test` on a
 * fresh clone) never build into the same place at once. A lock left by a process that has died is taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../client/runtime-file';

/** Runs `fn` holding the lock `<lockPath>`; waits (printing once) while another live process holds it. */
export async function withLock<T>(lockPath: string, log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(lockPath), { recursive: true });
  let told = false;
  for (;;) {
    try {
      await mkdir(lockPath);
      await writeFile(path.join(lockPath, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(path.join(lockPath, 'pid'), 'utf8').catch(() => 'NaN'));
      if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) {
        if (!told) log(`  waiting for another process (pid ${holder}) that is provisioning the same server...`);
        told = true;
      } else if (Number.isInteger(holder)) {
        await rm(lockPath, { recursive: true, force: true });
        continue;
      }
      // No pid yet: the holder is between mkdir and writeFile. Either way, look again shortly.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}
