/**
 * OpenTelemetry tracing of cases through Temporal, with the SDK's own interceptors
 * (`@temporalio/interceptors-opentelemetry`): a client call that starts or updates a case, the workflow's
 * run, signals, updates and queries (interceptor modules bundled into the workflow code), the activities it
 * schedules and their execution on the worker, joined into one trace through Temporal headers.
 *
 * Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set: then spans are
 * exported over OTLP/HTTP (protobuf) in batches. Without it there is no exporter, no tracer provider and no
 * interceptor in the workflow bundle.
 *
 * Children's data rule: the interceptors never put workflow or activity arguments on a span, and every span
 * leaves the process through {@link PseudonymousSpanExporter}, which keeps only the attributes in
 * {@link SAFE_SPAN_ATTRIBUTES} (ids, all pseudonymous) and a failure's type — never its message or stack.
 */
import * as otel from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { ObservabilitySettings } from './settings';

/** The workflow interceptor module the bundle must include for workflow spans. */
export const WORKFLOW_TRACING_MODULE =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

const ID = /^[\w.:@/+=-]{1,200}$/;

/**
 * Span attributes that may leave the process: the ids the SDK's interceptors set (workflow ids are case
 * references), and a failure's type.
 */
export const SAFE_SPAN_ATTRIBUTES: ReadonlySet<string> = new Set([
  'temporalWorkflowId',
  'run_id',
  'temporalActivityId',
  'temporalUpdateId',
  'exception.type',
]);

function safeAttributes(attributes: otel.Attributes | undefined): otel.Attributes {
  const kept: otel.Attributes = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (SAFE_SPAN_ATTRIBUTES.has(key) && typeof value === 'string' && ID.test(value)) kept[key] = value;
  }
  return kept;
}

/** A span with only its safe attributes; events keep their name and safe attributes; status its code. */
export function pseudonymousSpan(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: safeAttributes(span.attributes),
    links: span.links.map((link) => ({ context: link.context })),
    events: span.events.map((event) => ({
      time: event.time,
      name: event.name,
      attributes: safeAttributes(event.attributes),
    })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationLibrary: span.instrumentationLibrary,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** Exports spans through another exporter, each reduced to {@link pseudonymousSpan}. */
export class PseudonymousSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.inner.export(spans.map(pseudonymousSpan), resultCallback);
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Tracing of one process: what its clients and worker add, and how to flush it. */
export interface Tracing {
  /** For `new Client({ interceptors: { workflow: … } })`. */
  readonly clientInterceptors: WorkflowClientInterceptor[];
  /** For the worker's options (activity spans). */
  readonly workerInterceptors: WorkerInterceptors;
  /** The sink the bundled workflow interceptors export their spans through. */
  readonly sinks: InjectedSinks<OpenTelemetrySinks>;
  /** Modules the workflow bundle must include ({@link WORKFLOW_TRACING_MODULE}). */
  readonly workflowInterceptorModules: readonly string[];
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Options of {@link startTracing}. */
export interface TracingOptions {
  /** Where spans go (wrapped in {@link PseudonymousSpanExporter}). */
  readonly exporter: SpanExporter;
  /** `service.name` of the spans. */
  readonly serviceName: string;
  /** Export in batches (default true); false exports each span as it ends (tests). */
  readonly batch?: boolean;
}

/**
 * Registers a tracer provider for this process (its context manager and W3C propagation too) and returns the
 * interceptors and sinks that feed it. Once per process: OpenTelemetry's globals are set once.
 */
export function startTracing(options: TracingOptions): Tracing {
  const resource = new Resource({ 'service.name': options.serviceName });
  const exporter = new PseudonymousSpanExporter(options.exporter);
  const processor: SpanProcessor =
    (options.batch ?? true) ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const tracer = provider.getTracer('cpflow');
  return {
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor({ tracer })],
    workerInterceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
    workflowInterceptorModules: [WORKFLOW_TRACING_MODULE],
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** Tracing as the settings ask: OTLP/HTTP to the configured collector, or none. */
export function tracingFromSettings(settings: ObservabilitySettings, defaultServiceName: string): Tracing | undefined {
  if (settings.otlpTracesUrl === undefined) return undefined;
  return startTracing({
    exporter: new OTLPTraceExporter({ url: settings.otlpTracesUrl }),
    serviceName: settings.serviceName ?? defaultServiceName,
  });
}
