/** Running a command with a connected Temporal client, closed again afterwards. */
import type { Client } from '@temporalio/client';
import { connectCpflowClient } from '../client/connection';

/** Connects (TEMPORAL_ADDRESS or a running `npm start`), runs `fn`, and closes the connection. */
export async function withCpflowClient<R>(fn: (client: Client) => Promise<R>): Promise<R> {
  const client = await connectCpflowClient();
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}

/** Writes one block of output followed by a newline. */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}
