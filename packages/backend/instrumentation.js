/*
 * OpenTelemetry for the Akili Portal backend: Prometheus metrics on their own port.
 *
 * Loaded before the backend with `node --require ./instrumentation.js packages/backend`
 * (Backstage's documented set-up, docs/tutorials/setup-opentelemetry): the SDK must be
 * registered before Express and http are required, and before any plugin creates its
 * instruments (instruments made earlier stay no-ops). Without this file nothing changes: every
 * meter of Backstage and of the Akili plugins is the no-op of `@opentelemetry/api`.
 *
 * Settings (environment, the standard OpenTelemetry names):
 *   OTEL_EXPORTER_PROMETHEUS_HOST  address the metrics server binds (default 0.0.0.0, so the
 *                                  ServiceMonitor can scrape the pod's `metrics` port)
 *   OTEL_EXPORTER_PROMETHEUS_PORT  its port (default 9464); the path is /metrics
 *   OTEL_SERVICE_NAME              the service name (default akili-portal)
 *   OTEL_TRACES_EXPORTER           traces are off unless set (e.g. `otlp` with the OTLP
 *                                  endpoint variables); the same for OTEL_LOGS_EXPORTER
 *   OTEL_SDK_DISABLED=true         loads nothing
 */
'use strict';

const { isMainThread } = require('node:worker_threads');

/** Reads a port from the environment; a bad value stops the start naming the variable. */
function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `${name} must be a port number between 1 and 65535, not '${raw}'`,
    );
  }
  return port;
}

// Worker threads (e.g. the manifest parser pool) load this file too: one SDK per process.
if (isMainThread && process.env.OTEL_SDK_DISABLED !== 'true') {
  // The SDK reads these when it starts: without them it would send traces and logs to an OTLP
  // collector on localhost that a portal pod does not have.
  process.env.OTEL_TRACES_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';

  const { NodeSDK } = require('@opentelemetry/sdk-node');
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
  const {
    HttpInstrumentation,
  } = require('@opentelemetry/instrumentation-http');
  const {
    ExpressInstrumentation,
  } = require('@opentelemetry/instrumentation-express');

  const host = process.env.OTEL_EXPORTER_PROMETHEUS_HOST || '0.0.0.0';
  const port = portFromEnv('OTEL_EXPORTER_PROMETHEUS_PORT', 9464);

  const prometheus = new PrometheusExporter({ host, port }, error => {
    if (error) {
      // eslint-disable-next-line no-console
      console.error(
        `OpenTelemetry: the Prometheus metrics server could not listen on ${host}:${port}: ${error.message}`,
      );
    }
  });

  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || 'akili-portal',
    metricReaders: [prometheus],
    instrumentations: [
      new HttpInstrumentation({
        // The probes and the scrape itself would drown the request rate.
        ignoreIncomingRequestHook: request =>
          request.url === '/metrics' ||
          (request.url ?? '').startsWith('/.backstage/health/'),
      }),
      new ExpressInstrumentation(),
    ],
  });
  // Nothing to flush at shut-down: Prometheus pulls, and the server does not keep the process up.
  sdk.start();
}
