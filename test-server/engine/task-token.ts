/**
 * Task tokens this server hands to workers with workflow, activity and query-only tasks, and
 * reads back from their responses.
 */
import { InvalidArgumentError } from '../errors';

/** What a task token names: kind (workflow/activity/query task), run id, and the task within the run. */
export interface TaskToken {
  k: 'w' | 'a' | 'q';
  r: string;
  /** Scheduled event id (workflow and activity tasks). */
  s?: number;
  /** Attempt. */
  a?: number;
  /** Query id (query-only tasks). */
  q?: string;
}

/** Encodes a task token. */
export function encodeTaskToken(t: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(t), 'utf8');
}

/** Decodes a task token, failing with INVALID_ARGUMENT naming the field. */
export function parseTaskToken(bytes: unknown): TaskToken {
  try {
    const t = JSON.parse(Buffer.from(bytes as Uint8Array).toString('utf8')) as TaskToken;
    if (typeof t.r !== 'string') throw new Error('bad');
    return t;
  } catch {
    throw new InvalidArgumentError('taskToken: not a task token issued by this server');
  }
}
