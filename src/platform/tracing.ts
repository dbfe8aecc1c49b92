import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/**
 * OpenTelemetry tracing, off unless OTEL_TRACES_EXPORTER=otlp. Every HTTP request gets a server span
 * (joined to the caller's trace when it sends `traceparent`), every GraphQL operation a child span
 * with its name, type, role and error codes. Spans carry no variables, no SQL and no token: what a
 * trace collector keeps must not become a second copy of residents' data. Off, the API's no-op
 * tracer costs nothing measurable.
 */
const tracer = () => trace.getTracer('cus-platform');

export interface Tracing {
  /** Sends what is buffered and unregisters the global provider. */
  shutdown(): Promise<void>;
}

export function startTracing(settings: Config['tracing'], log: Logger): Tracing | null {
  if (settings.exporter !== 'otlp') return null;
  const exporter = new OTLPTraceExporter({ url: settings.endpoint });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  // Registers the W3C trace-context propagator and the async-local context manager as well.
  provider.register();
  log.info('tracing', { exporter: 'otlp', endpoint: settings.endpoint, service: settings.serviceName });
  return {
    async shutdown() {
      await provider.shutdown().catch((error) => log.warn('tracing: could not send the last spans', { error: String(error) }));
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** Runs `work` inside a server span for one HTTP request, continuing the caller's trace if it sent one. */
export function inRequestSpan<T>(name: string, headers: IncomingHttpHeaders, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = propagation.extract(context.active(), headers);
  return tracer().startActiveSpan(name, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span for one GraphQL operation, under the active request span; `end` names it once the operation is known. */
export function startOperationSpan(transport: 'http' | 'ws'): { end(operation: string | null, type: string, codes: string[], attributes: Attributes): void } {
  const span = tracer().startSpan('graphql.operation', { attributes: { 'cus.transport': transport } });
  return {
    end(operation, type, codes, attributes) {
      span.updateName(`${type} ${operation ?? 'anonymous'}`);
      span.setAttributes({
        ...attributes,
        'graphql.operation.name': operation ?? '',
        'graphql.operation.type': type,
        'cus.error_codes': codes,
      });
      if (codes.length > 0) span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
      span.end();
    },
  };
}
