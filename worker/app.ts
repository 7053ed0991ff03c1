/**
 * Wires up everything `npm start` runs: Temporal (external or embedded), the mail transport (real SMTP from
 * the environment, or the local SMTP sink), the staff directory, the sent log, search attributes, the worker,
 * and runtime.json for the CLI.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { configuredPayloadKeys, payloadKeysForStart } from '../client/payload-keys';
import {
  connectionOptionsOf,
  cpflowDataConverter,
  readTemporalSecurity,
  type TemporalSecurity,
} from '../client/temporal-settings';
import { createActivities } from '../activities';
import {
  type CpflowRuntime,
  isProcessAlive,
  readRuntimeFile,
  removeRuntimeFile,
  writeRuntimeFile,
} from '../client/runtime-file';
import { Mailbox } from '../mail/mailbox';
import { PostgresSentLog, sentLogDatabaseUrl } from '../mail/postgres-sent-log';
import { FileSentLog, type SentLog } from '../mail/sent-log';
import { startSmtpSink, type SmtpSink } from '../mail/smtp-sink';
import { checkMailFrom, createSmtpTransport, readSmtpSettings, type SmtpTransport } from '../mail/smtp-transport';
import { type CpflowLogger, silentLogger } from '../observability/logger';
import { mailCheck, startOperations, temporalCheck, workerCheck } from '../observability/operations';
import type { ProcessObservability } from '../observability/process';
import { readObservabilitySettings } from '../observability/settings';
import { FileStaffDirectory, type StaffDirectory, SyntheticStaffDirectory } from '../mail/staff-directory';
import { CPFLOW_TASK_QUEUE } from '../workflows/task-queue';
import { startTemporal, type TemporalService } from './embedded-temporal';
import { preferredOrFreePort, reservePort } from './ports';
import { registerSearchAttributes } from './search-attributes';
import { maxCachedCases, workflowThreads } from './tuning';
import { createCpflowWorker } from './worker';
import { startWebService } from '../web/start-web';
import { readLinkSettings, readWebSettings } from '../web/web-settings';

/** Options of {@link startCpflow}. */
export interface StartCpflowOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** Workflow module to bundle (default `workflows/index.ts`); tests use fixtures. */
  readonly workflowsPath?: string;
  /** The process's logger, SDK metrics endpoint and tracing (observability/process.ts); none by default. */
  readonly observability?: Partial<Pick<ProcessObservability, 'logger' | 'sdkMetricsUrl' | 'tracing'>>;
}

/** A running cpflow: call `stop()` once, then await `finished`. */
export interface RunningCpflow {
  readonly temporal: TemporalService;
  readonly smtpSink?: SmtpSink;
  /** The friendly multi-line summary to print. */
  readonly summary: string;
  /** Resolves when the worker has stopped and everything is cleaned up; rejects if the worker failed. */
  readonly finished: Promise<void>;
  /** Asks the worker to stop; `finished` then cleans up the rest. */
  stop(): void;
}

/** `npm start` refused to start (another instance, bad configuration). */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Default sender when the local SMTP sink is used. */
const SINK_MAIL_FROM = 'cpflow <cpflow@cpflow.test>';

/** Starts cpflow. On failure, whatever was already started is stopped again. */
export async function startCpflow(options: StartCpflowOptions): Promise<RunningCpflow> {
  const { env, dataDir, log } = options;
  // Checked before anything starts: a bad setting stops start-up with a message naming it.
  const tuning = { workflowThreads: workflowThreads(env), maxCachedCases: maxCachedCases(env) };
  const webSettings = readWebSettings(env);
  const operationsSettings = readObservabilitySettings(env);
  checkMailFrom(env);
  const { logger = silentLogger, sdkMetricsUrl, tracing } = options.observability ?? {};
  // TLS and API key apply to an external Temporal; the embedded dev server listens on loopback only.
  const security = env.TEMPORAL_ADDRESS ? readTemporalSecurity(env) : {};
  const sentLogUrl = settingOf(() => sentLogDatabaseUrl(env));
  // The data folder holds the sent log, the mailbox, the access log and the session key: its owner's only.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const previous = await readRuntimeFile(dataDir).catch(() => undefined);
  if (previous && previous.pid !== process.pid && isProcessAlive(previous.pid)) {
    throw new StartupError(
      `cpflow is already running (pid ${previous.pid}, Temporal at ${previous.temporalAddress}) with data dir ${dataDir}`,
    );
  }
  // The previous start died without cleaning up (kill -9): its dev server may still hold the database.
  const leftBehindPid = previous?.temporalPid;

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => log(`while stopping: ${String(err)}`));
    }
  };
  try {
    const operations = await workerOperations(operationsSettings, logger, sdkMetricsUrl, cleanups);
    const mail = await setUpMail(env, dataDir);
    operations.readiness.set('mail', mailCheck(mail.transport));
    if (mail.sink) {
      const sink = mail.sink;
      cleanups.push(() => sink.stop());
    }
    cleanups.push(async () => mail.transport.close());

    const dataConverter = cpflowDataConverter(await payloadKeysForStart(env, dataDir));
    // The web service's port is chosen first: the dev server's Web UI decrypts histories through its /codec.
    // Held from now until the web service listens (a set port is used as given: taken, start-up fails there).
    const reserved =
      webSettings.CPFLOW_WEB_PORT === undefined || webSettings.CPFLOW_WEB_PORT === 0
        ? await reservePort(webSettings.CPFLOW_WEB_PORT ?? 8080)
        : { port: webSettings.CPFLOW_WEB_PORT, release: () => Promise.resolve() };
    cleanups.push(() => reserved.release());
    const webPort = reserved.port;
    const temporal = await startTemporal({
      env,
      dataDir,
      log,
      ...(leftBehindPid === undefined ? {} : { leftBehindPid }),
      codecEndpoint: `${(webSettings.CPFLOW_WEB_URL ?? `http://127.0.0.1:${webPort}`).replace(/\/$/, '')}/codec`,
    });
    cleanups.push(() => temporal.stop());

    const { connection, namespaceId } = await joinTemporal(temporal.address, temporal.namespace, security, cleanups);
    operations.readiness.set('temporal', temporalCheck(connection));
    operations.metrics.readVisibilityFrom(new Client({ connection, namespace: temporal.namespace }));

    const web = await startWebService({
      env,
      settings: { ...webSettings, CPFLOW_WEB_PORT: webPort },
      beforeListening: () => reserved.release(),
      dataDir,
      temporalAddress: temporal.address,
      logger,
      ...(tracing === undefined ? {} : { clientInterceptors: tracing.clientInterceptors }),
      namespace: temporal.namespace,
      security,
      dataConverter,
      ...(temporal.webUi === undefined ? {} : { temporalUi: temporal.webUi }),
    });
    cleanups.push(() => web.stop());
    const activities = createActivities({
      mailer: mail.transport,
      sentLog: await openSentLog(sentLogUrl, dataDir, namespaceId, cleanups),
      directory: mail.directory,
      metrics: operations.metrics.notifications,
      // Emails link to the case's page in the web service.
      caseUrl: caseUrlFrom(
        { CPFLOW_CASE_URL_BASE: `${(webSettings.CPFLOW_WEB_URL ?? web.url).replace(/\/$/, '')}/cases/`, ...env },
        temporal,
      ),
    });
    const worker = await createCpflowWorker({
      connection,
      namespace: temporal.namespace,
      taskQueue: CPFLOW_TASK_QUEUE,
      activities,
      ...(tracing === undefined ? {} : { tracing }),
      dataConverter,
      tuning,
      ...(options.workflowsPath ? { workflowsPath: options.workflowsPath } : {}),
    });
    const runtime = {
      temporalAddress: temporal.address,
      namespace: temporal.namespace,
      temporalKind: temporal.kind,
      ...(temporal.pid === undefined ? {} : { temporalPid: temporal.pid }),
      ...(temporal.webUi === undefined ? {} : { temporalWebUi: temporal.webUi }),
      taskQueue: CPFLOW_TASK_QUEUE,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      ...(mail.sink ? { smtpSink: { host: mail.sink.host, port: mail.sink.port } } : {}),
    };
    await writeRuntimeFile(dataDir, runtime);
    cleanups.push(() => removeRuntimeFile(dataDir, process.pid));

    operations.readiness.set('worker', workerCheck(worker));
    const finished = worker.run().finally(cleanUp);
    return {
      temporal,
      ...(mail.sink ? { smtpSink: mail.sink } : {}),
      summary: summaryOf(temporal, mail, dataDir, web, operations.url),
      finished,
      stop: () => stopWorker(worker),
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/** A running additional worker: call `stop()` once, then await `finished`. */
export interface RunningWorker {
  /** The one-line summary to print. */
  readonly summary: string;
  readonly finished: Promise<void>;
  stop(): void;
}

/**
 * `npm run worker`: one more worker process on cpflow's task queue — how cpflow scales out. It joins the Temporal
 * of `TEMPORAL_ADDRESS`, else of the `npm start` running on this data folder (runtime.json), and sends mail
 * through `SMTP_HOST`, else that `npm start`'s SMTP sink. Nothing is embedded: it shares the data folder's sent
 * log with the other workers of this machine.
 */
export async function startAdditionalWorker(options: StartCpflowOptions): Promise<RunningWorker> {
  const { env, dataDir } = options;
  const operationsSettings = readObservabilitySettings(env);
  checkMailFrom(env);
  const links = readLinkSettings(env);
  const { logger = silentLogger, sdkMetricsUrl, tracing } = options.observability ?? {};
  const tuning = { workflowThreads: workflowThreads(env), maxCachedCases: maxCachedCases(env) };
  const running = env.TEMPORAL_ADDRESS ? undefined : await readRuntimeFile(dataDir);
  if (!env.TEMPORAL_ADDRESS && (running === undefined || !isProcessAlive(running.pid))) {
    throw new StartupError(
      `no Temporal to join: set TEMPORAL_ADDRESS, or run \`npm start\` with data dir ${dataDir} first`,
    );
  }
  const address = env.TEMPORAL_ADDRESS || (running?.temporalAddress as string);
  const namespace = env.TEMPORAL_NAMESPACE || running?.namespace || 'default';
  const security = env.TEMPORAL_ADDRESS ? readTemporalSecurity(env) : {};
  const sentLogUrl = settingOf(() => sentLogDatabaseUrl(env));
  const keys = configuredPayloadKeys(env, dataDir);
  if (keys === undefined) {
    throw new StartupError(
      'CPFLOW_PAYLOAD_KEYS_FILE: is required (or CPFLOW_PAYLOAD_KEYS): the workers of one cpflow share its payload keys',
    );
  }
  const mail = await joinMail(env, running);
  const cleanups: (() => Promise<void>)[] = [async () => mail.transport.close()];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const operations = await workerOperations(operationsSettings, logger, sdkMetricsUrl, cleanups);
    operations.readiness.set('mail', mailCheck(mail.transport));
    const { connection, namespaceId } = await joinTemporal(address, namespace, security, cleanups);
    operations.readiness.set('temporal', temporalCheck(connection));
    const temporal: Pick<TemporalService, 'namespace' | 'webUi'> = {
      namespace,
      ...(running?.temporalWebUi === undefined ? {} : { webUi: running.temporalWebUi }),
    };
    const worker = await createCpflowWorker({
      connection,
      namespace,
      taskQueue: CPFLOW_TASK_QUEUE,
      activities: createActivities({
        mailer: mail.transport,
        sentLog: await openSentLog(sentLogUrl, dataDir, namespaceId, cleanups),
        directory: mail.directory,
        // Links as npm start makes them: CPFLOW_CASE_URL_BASE, else the web service's case page.
        caseUrl: caseUrlFrom(
          links.CPFLOW_WEB_URL === undefined
            ? env
            : { CPFLOW_CASE_URL_BASE: `${links.CPFLOW_WEB_URL.replace(/\/$/, '')}/cases/`, ...env },
          temporal,
        ),
        metrics: operations.metrics.notifications,
      }),
      dataConverter: cpflowDataConverter(keys),
      tuning,
      ...(options.workflowsPath ? { workflowsPath: options.workflowsPath } : {}),
      ...(tracing === undefined ? {} : { tracing }),
    });
    operations.readiness.set('worker', workerCheck(worker));
    return {
      summary:
        `cpflow worker is ready (pid ${process.pid}): Temporal ${address}, namespace ${namespace}, task queue ` +
        `${CPFLOW_TASK_QUEUE}; mail: ${mail.description}; operations: ${operations.url}. Stop: Ctrl-C`,
      finished: worker.run().finally(cleanUp),
      stop: () => stopWorker(worker),
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/** The mail an additional worker sends through: `SMTP_HOST`, else the SMTP sink of the running `npm start`. */
async function joinMail(env: NodeJS.ProcessEnv, running: CpflowRuntime | undefined): Promise<MailSetup> {
  if (env.SMTP_HOST) return configuredSmtp(env);
  if (running?.smtpSink === undefined) {
    throw new StartupError('SMTP_HOST: is required when the running cpflow has no local SMTP sink to share');
  }
  const directoryFile = env.CPFLOW_DIRECTORY_FILE;
  const directory = directoryFile ? new FileStaffDirectory(directoryFile) : new SyntheticStaffDirectory();
  if (directory instanceof FileStaffDirectory) await directory.load();
  return {
    transport: createSmtpTransport({
      host: running.smtpSink.host,
      port: running.smtpSink.port,
      secure: false,
      from: env.MAIL_FROM || SINK_MAIL_FROM,
    }),
    directory,
    description: `the local SMTP sink of cpflow (pid ${running.pid}) on ${running.smtpSink.host}:${running.smtpSink.port}`,
  };
}

/** The operations server of a worker process, up first so a probe sees start-up as not ready, not as absent. */
async function workerOperations(
  settings: ReturnType<typeof readObservabilitySettings>,
  logger: CpflowLogger,
  sdkMetricsUrl: string | undefined,
  cleanups: (() => Promise<void>)[],
) {
  const operations = await startOperations({
    settings,
    checks: ['temporal', 'worker', 'mail'],
    logger,
    ...(sdkMetricsUrl === undefined ? {} : { sdkMetricsUrl }),
  });
  cleanups.push(() => operations.stop());
  return operations;
}

/** A worker's connection to Temporal, cpflow's search attributes registered, and the namespace's id. */
async function joinTemporal(
  address: string,
  namespace: string,
  security: TemporalSecurity,
  cleanups: (() => Promise<void>)[],
): Promise<{ connection: NativeConnection; namespaceId: string }> {
  const connection = await NativeConnection.connect({ address, ...connectionOptionsOf(security) });
  cleanups.push(() => connection.close());
  await registerSearchAttributes(connection, namespace);
  return { connection, namespaceId: await namespaceIdOf(connection, namespace) };
}

/** A setting read as a start-up error naming it. */
function settingOf<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new StartupError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * The sent log the workers share: the PostgreSQL table of `CPFLOW_SENT_LOG_URL` (workers on several machines),
 * else the data folder's file (the workers of this machine). A database that cannot be reached stops start-up.
 */
async function openSentLog(
  url: string | undefined,
  dataDir: string,
  namespaceId: string,
  cleanups: (() => Promise<void>)[],
): Promise<SentLog> {
  if (url === undefined) return FileSentLog.inDataDir(dataDir, namespaceId);
  const log = new PostgresSentLog({ connectionString: url }, namespaceId);
  cleanups.push(() => log.close());
  try {
    await log.open();
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreachable';
    throw new StartupError(`CPFLOW_SENT_LOG_URL: the sent log database cannot be used (${code})`);
  }
  return log;
}

/** The id Temporal gave the namespace when it was created (a new database means new ids). */
async function namespaceIdOf(connection: NativeConnection, namespace: string): Promise<string> {
  const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace });
  const id = namespaceInfo?.id;
  if (!id) throw new StartupError(`Temporal did not report an id for namespace ${namespace}`);
  return id;
}

function stopWorker(worker: Worker): void {
  if (worker.getState() === 'RUNNING') worker.shutdown();
}

interface MailSetup {
  readonly transport: SmtpTransport;
  readonly directory: StaffDirectory;
  readonly sink?: SmtpSink;
  readonly description: string;
}

/** The SMTP server of `SMTP_HOST` and friends, with the staff directory it needs. */
async function configuredSmtp(env: NodeJS.ProcessEnv): Promise<MailSetup> {
  const directoryFile = env.CPFLOW_DIRECTORY_FILE;
  const settings = readSmtpSettings(env);
  if (!directoryFile) {
    throw new StartupError('CPFLOW_DIRECTORY_FILE: is required when SMTP_HOST is set (staff ids → email addresses)');
  }
  const directory = new FileStaffDirectory(directoryFile);
  await directory.load();
  return {
    transport: createSmtpTransport(settings),
    directory,
    description: `SMTP server ${settings.host}:${settings.port}, staff directory ${directoryFile}`,
  };
}

async function setUpMail(env: NodeJS.ProcessEnv, dataDir: string): Promise<MailSetup> {
  const directoryFile = env.CPFLOW_DIRECTORY_FILE;
  if (env.SMTP_HOST) return configuredSmtp(env);
  const requestedSinkPort = env.CPFLOW_SMTP_SINK_PORT ? Number(env.CPFLOW_SMTP_SINK_PORT) : 2525;
  if (!Number.isInteger(requestedSinkPort) || requestedSinkPort < 0 || requestedSinkPort > 65535) {
    throw new StartupError('CPFLOW_SMTP_SINK_PORT: must be a port number between 0 (any free port) and 65535');
  }
  const sinkPort = await preferredOrFreePort(requestedSinkPort);
  const sink = await startSmtpSink({ mailbox: Mailbox.inDataDir(dataDir), port: sinkPort });
  const directory = directoryFile ? new FileStaffDirectory(directoryFile) : new SyntheticStaffDirectory();
  if (directoryFile) await (directory as FileStaffDirectory).load();
  return {
    transport: createSmtpTransport({
      host: sink.host,
      port: sink.port,
      secure: false,
      from: env.MAIL_FROM || SINK_MAIL_FROM,
    }),
    directory,
    sink,
    description:
      `local SMTP sink on ${sink.host}:${sink.port} (read it: npm run cpflow -- mail list), ` +
      (directoryFile ? `staff directory ${directoryFile}` : 'made-up @cpflow.test addresses'),
  };
}

/**
 * Case links in emails: `CPFLOW_CASE_URL_BASE` + case reference; else the case workflow in the Web UI of the dev
 * server `npm start` runs; else (an external Temporal) its UI on the default local address.
 */
function caseUrlFrom(
  env: NodeJS.ProcessEnv,
  temporal: Pick<TemporalService, 'namespace' | 'webUi'>,
): (caseReference: string) => string {
  const base = env.CPFLOW_CASE_URL_BASE;
  if (base) return (ref) => `${base}${encodeURIComponent(ref)}`;
  const ui = temporal.webUi ?? 'http://localhost:8233';
  return (ref) => `${ui}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(ref)}`;
}

function summaryOf(
  temporal: TemporalService,
  mail: MailSetup,
  dataDir: string,
  web: { readonly url: string; readonly signIn: string },
  operationsUrl: string,
): string {
  const lines = [
    'cpflow is ready.',
    `  cpflow:     ${web.url} (sign in: ${web.signIn})`,
    `  Temporal:   ${temporal.address}, namespace ${temporal.namespace}: ${temporal.description}`,
    ...(temporal.webUi === undefined
      ? []
      : [`  Web UI:     ${temporal.webUi}/namespaces/${temporal.namespace}/workflows`]),
    `  Task queue: ${CPFLOW_TASK_QUEUE}`,
    `  Mail:       ${mail.description}`,
    `  Data dir:   ${dataDir}`,
    `  Operations: ${operationsUrl} (/metrics, /health/live, /health/ready)`,
    '  Try it:     npm run cpflow -- referral create --file examples/referral.json',
    '  Stop:       Ctrl-C',
  ];
  return lines.join('\n');
}
