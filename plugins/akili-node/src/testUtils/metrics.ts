import { Attributes, metrics } from '@opentelemetry/api';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** One data point of a collected metric: its labels and value (a histogram's count and sum). */
export interface CollectedPoint {
  attributes: Attributes;
  /** The value of a counter or gauge; a histogram's count. */
  value: number;
  /** A histogram's sum. */
  sum?: number;
}

/**
 * The OpenTelemetry SDK's MeterProvider registered as the global one, with a reader that collects
 * on demand: what `instrumentation.js` does in production, without the Prometheus server. Call
 * `uninstall` after the test (the global provider is per test file).
 */
export interface TestMetrics {
  /** The data points of `name` now (observable instruments are observed by this call). */
  collect(name: string): Promise<CollectedPoint[]>;
  uninstall(): Promise<void>;
}

/** Installs a {@link TestMetrics}: call before the code under test creates its instruments. */
export function installTestMetrics(): TestMetrics {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  metrics.disable();
  metrics.setGlobalMeterProvider(provider);
  return {
    async collect(name) {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) {
        throw new Error(
          `Collecting metrics failed: ${errors.map(String).join('; ')}`,
        );
      }
      const points: CollectedPoint[] = [];
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name !== name) continue;
          for (const point of metric.dataPoints) {
            if (metric.dataPointType === DataPointType.HISTOGRAM) {
              const value = point.value as { count: number; sum?: number };
              points.push({
                attributes: point.attributes,
                value: value.count,
                sum: value.sum,
              });
            } else {
              points.push({
                attributes: point.attributes,
                value: point.value as number,
              });
            }
          }
        }
      }
      return points;
    },
    async uninstall() {
      metrics.disable();
      await provider.shutdown();
    },
  };
}
