/**
 * The bank-holiday snapshot on disk (`data/bank-holidays/england-and-wales.json`, the feed's England & Wales
 * division unchanged) with its provenance file beside it, and the refresh that downloads a new one.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type BankHolidayDivision,
  diffDivisions,
  type DivisionChanges,
  ENGLAND_AND_WALES,
  GOV_UK_SOURCE,
  InvalidBankHolidayFeedError,
  parseBankHolidayDivision,
  parseBankHolidayFeed,
  yearsCovered,
} from './bank-holiday-feed';
import { DEFAULT_SNAPSHOT_PATH } from './locations';

export { DEFAULT_SNAPSHOT_PATH };

/** Where and when a snapshot was obtained. */
export interface SnapshotProvenance {
  readonly division: string;
  readonly source: string;
  /** How `calendar show` labels the snapshot's holidays: `gov.uk` for a downloaded feed (the default). */
  readonly sourceLabel?: string;
  readonly obtainedAt: string;
  readonly obtainedVia: string;
  readonly coversYears: { readonly from: number; readonly to: number };
  readonly verified?: string;
  readonly licence: string;
}

/** The feed could not be downloaded (offline, DNS failure, timeout, HTTP error). */
export class BankHolidayFeedUnavailableError extends Error {
  override readonly name = 'BankHolidayFeedUnavailableError';

  constructor(url: string, reason: string) {
    super(`could not download the bank-holiday feed from ${url}: ${reason}; the snapshot was left unchanged`);
  }
}

/** The snapshot file is missing or unreadable. */
export class BankHolidaySnapshotError extends Error {
  override readonly name = 'BankHolidaySnapshotError';
}

/** The provenance file kept beside a snapshot: `england-and-wales.json` → `england-and-wales.provenance.json`. */
export function provenancePathFor(snapshotPath: string): string {
  return snapshotPath.endsWith('.json')
    ? `${snapshotPath.slice(0, -'.json'.length)}.provenance.json`
    : `${snapshotPath}.provenance.json`;
}

/**
 * Reads and validates a snapshot file.
 * @throws BankHolidaySnapshotError when it cannot be read or parsed; InvalidBankHolidayFeedError when its shape is wrong.
 */
export function readSnapshot(snapshotPath: string = DEFAULT_SNAPSHOT_PATH): BankHolidayDivision {
  let text: string;
  try {
    text = readFileSync(snapshotPath, 'utf8');
  } catch (err) {
    throw new BankHolidaySnapshotError(
      `cannot read the bank-holiday snapshot ${snapshotPath}: ${(err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BankHolidaySnapshotError(`the bank-holiday snapshot ${snapshotPath} is not valid JSON`);
  }
  return parseBankHolidayDivision(json, `the bank-holiday snapshot ${snapshotPath}`);
}

/** Writes `content` to `path` atomically: a temporary file in the same folder, then a rename over the target. */
function writeFileAtomically(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temporary, content, { encoding: 'utf8', flush: true });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** What `refreshSnapshot` did. */
export interface RefreshReport {
  readonly url: string;
  readonly snapshotPath: string;
  readonly provenancePath: string;
  readonly eventCount: number;
  readonly coversYears: { readonly from: number; readonly to: number };
  readonly changes: DivisionChanges;
  /** False when the downloaded division is identical to the snapshot already on disk (the file is not rewritten). */
  readonly snapshotChanged: boolean;
}

/** Options of {@link refreshSnapshot}. */
export interface RefreshOptions {
  readonly url: string;
  readonly snapshotPath?: string;
  /** Abort the download after this many milliseconds (default 15 s). */
  readonly timeoutMs?: number;
  /** The moment recorded as `obtainedAt` (default: now). */
  readonly now?: Date;
}

/**
 * Downloads the gov.uk feed with Node's `fetch`, validates it, and writes its England & Wales division to the
 * snapshot atomically, with a provenance file. Nothing is written unless the download and validation succeed.
 * @throws BankHolidayFeedUnavailableError (offline, HTTP error, timeout) or InvalidBankHolidayFeedError.
 */
export async function refreshSnapshot(options: RefreshOptions): Promise<RefreshReport> {
  const { url } = options;
  const snapshotPath = resolve(options.snapshotPath ?? DEFAULT_SNAPSHOT_PATH);
  let body: string;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    body = await response.text();
  } catch (err) {
    const cause = err as Error & { cause?: { code?: string; message?: string } };
    const reason = cause.cause?.code ?? cause.cause?.message ?? cause.message;
    throw new BankHolidayFeedUnavailableError(url, reason);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidBankHolidayFeedError(`the response from ${url}`, 'the body is not JSON');
  }
  const division = parseBankHolidayFeed(json, `the response from ${url}`);

  const previous = existsSync(snapshotPath) ? tryReadSnapshot(snapshotPath) : undefined;
  const changes = diffDivisions(previous, division);
  const snapshotChanged =
    previous === undefined || changes.added.length + changes.removed.length + changes.changed.length > 0;
  const years = yearsCovered(division);
  const coversYears = { from: years[0], to: years[years.length - 1] };
  if (snapshotChanged) writeFileAtomically(snapshotPath, `${JSON.stringify(division, null, 2)}\n`);
  const provenance: SnapshotProvenance = {
    division: ENGLAND_AND_WALES,
    source: url,
    sourceLabel: GOV_UK_SOURCE,
    obtainedAt: (options.now ?? new Date()).toISOString(),
    obtainedVia: 'cpflow calendar refresh (direct download, validated against the feed schema)',
    coversYears,
    licence: 'Contains public sector information licensed under the Open Government Licence v3.0.',
  };
  const provenancePath = provenancePathFor(snapshotPath);
  writeFileAtomically(provenancePath, `${JSON.stringify(provenance, null, 2)}\n`);
  return {
    url,
    snapshotPath,
    provenancePath,
    eventCount: division.events.length,
    coversYears,
    changes,
    snapshotChanged,
  };
}

/** The previous snapshot for the change report; an unreadable one counts as absent (it is about to be replaced). */
function tryReadSnapshot(snapshotPath: string): BankHolidayDivision | undefined {
  try {
    return readSnapshot(snapshotPath);
  } catch {
    return undefined;
  }
}

/**
 * The label of a snapshot's holidays, from the provenance file beside it: `gov.uk` for a downloaded feed (or
 * when no provenance file exists), otherwise the provenance's own `sourceLabel` (e.g. `offline-snapshot`).
 */
export function snapshotSourceLabel(snapshotPath: string = DEFAULT_SNAPSHOT_PATH): string {
  const provenancePath = provenancePathFor(snapshotPath);
  if (!existsSync(provenancePath)) return GOV_UK_SOURCE;
  const provenance = JSON.parse(readFileSync(provenancePath, 'utf8')) as Partial<SnapshotProvenance>;
  return typeof provenance.sourceLabel === 'string' && provenance.sourceLabel !== ''
    ? provenance.sourceLabel
    : GOV_UK_SOURCE;
}
