/**
 * Regenerates the recorded histories under tests/replay/histories/ (one JSON file per workflow run):
 * `npx tsx tests/replay/record.ts`, on Temporal's time-skipping test server. Until a first release is deployed,
 * re-record after any workflow change; from then on, only after a deliberate, patched() change, keeping the older
 * files (workflows/README.md). The replay test then guards the new code against non-deterministic changes.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { createCaseTestEnvironment } from '../workflows/support';
import { recordCase, representativeCases } from './cases';

/** Folder of the recorded histories. */
export const HISTORIES_DIR = path.join(__dirname, 'histories');

async function main(): Promise<void> {
  await mkdir(HISTORIES_DIR, { recursive: true });
  const cases = representativeCases();
  // Only this recorder's own files are replaced: renamed older histories (e.g. `v1-…`) are kept.
  for (const file of await readdir(HISTORIES_DIR)) {
    if (file.endsWith('.json') && cases.some((c) => file.startsWith(`${c.name}.`)))
      await rm(path.join(HISTORIES_DIR, file));
  }
  for (const recorded of cases) {
    const env = await createCaseTestEnvironment();
    try {
      const runs = await recordCase(env, recorded);
      let n = 0;
      for (const run of runs) {
        n += 1;
        const kind = run.workflowId.endsWith('-lado')
          ? 'lado'
          : run.workflowId.endsWith('-forensic')
            ? 'forensic'
            : 'case';
        const file = path.join(HISTORIES_DIR, `${recorded.name}.${String(n).padStart(2, '0')}-${kind}.json`);
        await writeFile(file, `${historyToJSON(run.history)}\n`);
        console.log(`${path.relative(process.cwd(), file)}: ${run.history.events?.length ?? 0} events`);
      }
    } finally {
      await env.teardown();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
