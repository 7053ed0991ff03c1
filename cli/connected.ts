/** Running a command with a connected Temporal client, closed again afterwards. */
import type { Client } from '@temporalio/client';

/** Connects (TEMPORAL_ADDRESS or a running `npm start`), runs `fn`, and closes the connection. */
export async function withCpflowClient<R>(fn: (client: Client) => Promise<R>): Promise<R> {
  // Loaded here, not at start-up: the Temporal SDK is the slowest import, and only these commands need it.
  const { connectCpflowClient } = await import('../client/connection');
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
