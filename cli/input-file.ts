/**
 * Reading the JSON files users hand to the CLI (`--file referral.json`, `--file event.json`, scenarios).
 * Errors name the file and what is wrong with it, never its contents (it may describe a child).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** A file given on the command line cannot be read or is not JSON. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
}

/**
 * Reads and parses a JSON file.
 * @throws InputFileError naming the file when it is missing, unreadable or not valid JSON.
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot be read (${code ?? 'error'})`;
    throw new InputFileError(`${path}: ${why}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // JSON.parse messages quote at most a position, not the text; keep only that part.
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new InputFileError(
      `${basename(path)}: is not valid JSON${position === undefined ? '' : ` (at character ${position})`}`,
    );
  }
}
