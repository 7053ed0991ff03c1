/**
 * Child process entry of {@link bundleWorkflowsInChildProcess}: `<workflowsPath> <outFile> [interceptorModule…]`
 * bundles the workflows (with those workflow interceptor modules) and writes the code to the file.
 */
import { writeFile } from 'node:fs/promises';
import { bundleWorkflows } from './workflow-bundle';

async function main(): Promise<void> {
  const [workflowsPath, out, ...workflowInterceptorModules] = process.argv.slice(2);
  if (workflowsPath === undefined || out === undefined)
    throw new Error('usage: workflow-bundle-main <workflowsPath> <outFile> [interceptorModule…]');
  const bundle = await bundleWorkflows(workflowsPath, { workflowInterceptorModules });
  await writeFile(out, bundle.code);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
