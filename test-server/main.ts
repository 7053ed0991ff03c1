/**
 * Command line of the cpflow test server, as launched by sdk-core (`<exe> <port> [flags]`):
 *   cpflow-test-server <port> [--real-time] [--search-attribute Name=Type]... [--enable-time-skipping]
 * Logs go to stderr only with CPFLOW_TEST_SERVER_LOG=1.
 */
import { startTestServer } from './index';

/** Thrown for a malformed command line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\nusage: cpflow-test-server <port> [--real-time] [--search-attribute Name=Type]...`);
    this.name = 'UsageError';
  }
}

/** Parsed command line. */
export interface CommandLine {
  port: number;
  realTime: boolean;
  searchAttributes: Record<string, string>;
}

/** Parses the command line (without node and script). */
export function parseCommandLine(args: string[]): CommandLine {
  const result: CommandLine = { port: 7233, realTime: false, searchAttributes: {} };
  let portSeen = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--real-time') result.realTime = true;
    else if (arg === '--enable-time-skipping') continue;
    else if (arg === '--search-attribute') {
      const spec = args[++i] ?? '';
      const m = /^([^=]+)=(\w+)$/.exec(spec);
      if (!m) throw new UsageError(`--search-attribute: expected Name=Type, got ${JSON.stringify(spec)}`);
      result.searchAttributes[m[1]] = m[2];
    } else if (/^\d+$/.test(arg) && !portSeen) {
      result.port = Number(arg);
      portSeen = true;
      if (result.port > 65535) throw new UsageError(`port: ${arg} is out of range`);
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  return result;
}

/** Runs the server from the process command line. */
export async function runCommandLine(): Promise<void> {
  const cli = parseCommandLine(process.argv.slice(2));
  const logEnabled = process.env.CPFLOW_TEST_SERVER_LOG === '1';
  const server = await startTestServer({
    port: cli.port,
    host: '0.0.0.0',
    timeSkipping: !cli.realTime,
    searchAttributes: cli.searchAttributes,
    log: logEnabled ? (m) => process.stderr.write(`[cpflow-test-server] ${m}\n`) : undefined,
  });
  if (!cli.realTime && logEnabled) {
    process.stderr.write(`[cpflow-test-server] listening on ${server.address} (time skipping)\n`);
  }
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Runs the server, exiting with status 1 and a message on a bad command line or bind failure. */
export function runCommandLineOrExit(): void {
  runCommandLine().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

if (require.main === module) runCommandLineOrExit();
