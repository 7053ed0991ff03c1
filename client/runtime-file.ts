/**
 * `<dataDir>/runtime.json`: written by `npm start` once it serves, read by the CLI to find Temporal.
 * Removed again on a clean shutdown.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** Which kind of Temporal `npm start` is using. */
export const TEMPORAL_KINDS = ['external', 'dev-server'] as const;
/** Which kind of Temporal `npm start` is using. */
export type TemporalKind = (typeof TEMPORAL_KINDS)[number];

/** Schema of runtime.json. */
export const CpflowRuntimeSchema = z.object({
  temporalAddress: z.string().min(1),
  namespace: z.string().min(1),
  temporalKind: z.enum(TEMPORAL_KINDS),
  /** Process id of the embedded dev server, so a later start can stop one left running. */
  temporalPid: z.number().int().positive().optional(),
  /** The Temporal Web UI, when `npm start` runs it. */
  temporalWebUi: z.string().optional(),
  taskQueue: z.string().min(1),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  smtpSink: z.object({ host: z.string(), port: z.number().int() }).optional(),
});
/** Contents of runtime.json. */
export type CpflowRuntime = z.infer<typeof CpflowRuntimeSchema>;

/** runtime.json exists but cannot be used. */
export class RuntimeFileError extends Error {
  override readonly name = 'RuntimeFileError';
}

/** Path of runtime.json in a data directory. */
export function runtimeFilePath(dataDir: string): string {
  return path.join(dataDir, 'runtime.json');
}

/** Writes runtime.json atomically (temp file + rename). */
export async function writeRuntimeFile(dataDir: string, runtime: CpflowRuntime): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = runtimeFilePath(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(runtime, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}

/** Reads runtime.json; undefined when absent; {@link RuntimeFileError} when malformed. */
export async function readRuntimeFile(dataDir: string): Promise<CpflowRuntime | undefined> {
  const file = runtimeFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RuntimeFileError(`${file}: not valid JSON; delete it and run \`npm start\``);
  }
  const parsed = CpflowRuntimeSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new RuntimeFileError(`${file}: ${problems.join('; ')}; delete it and run \`npm start\``);
  }
  return parsed.data;
}

/** Removes runtime.json if it was written by the given process. */
export async function removeRuntimeFile(dataDir: string, pid: number): Promise<void> {
  const current = await readRuntimeFile(dataDir).catch(() => undefined);
  if (current?.pid === pid) await rm(runtimeFilePath(dataDir), { force: true });
}

/**
 * Whether a process with this id is alive (signal 0 probe). A zombie — killed, not yet reaped by its parent, as
 * right after a `kill -9` of a process group — answers the probe but is dead.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc here: trust the probe
  }
}
