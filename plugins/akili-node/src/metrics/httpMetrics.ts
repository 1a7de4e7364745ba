import { Histogram } from '@opentelemetry/api';
import { Request, RequestHandler } from 'express';
import { akiliMeter, httpStatusClass } from './meter';

/**
 * The name of the request histogram of the Akili plugins' routes (seconds); in Prometheus
 * `akili_http_server_duration_seconds_{bucket,sum,count}`.
 *
 * @public
 */
export const AKILI_HTTP_SERVER_DURATION = 'akili.http.server.duration';

/** Requests already measured by an Akili middleware (a plugin may mount several routers). */
const measured = new WeakSet<Request>();

/** The route label of requests no route of the plugin matched (404s, refused before a route). */
const UNMATCHED = 'unmatched';

/** Route patterns are bounded by the code; this keeps a mistake from flooding the labels. */
const MAX_ROUTE_LENGTH = 200;

/**
 * The Express route pattern that answered, relative to the plugin (`/runs/:tenant/:runId`), never
 * the URL: tenants, ids and names stay out of the labels.
 */
function routeOf(req: Request): string {
  const path: unknown = req.route?.path;
  if (typeof path === 'string') {
    return path.slice(0, MAX_ROUTE_LENGTH);
  }
  // A RegExp or an array route: its source is code, not input, but say what it is.
  return path ? 'pattern' : UNMATCHED;
}

/**
 * Express middleware recording every request of an Akili plugin in the histogram
 * {@link AKILI_HTTP_SERVER_DURATION}, labelled `plugin`, `route` (the matched Express pattern, or
 * `unmatched`), `method` and `status_class` (`2xx`...`5xx`, or `aborted` when the client went away
 * before the answer). Request rate and errors are the histogram's count by those labels.
 *
 * @remarks
 *
 * Mount it first in the plugin, before its routers: `httpRouter.use(akiliHttpMetrics('dagster'))`.
 * A request is measured once even when it passes several routers of the plugin. The meter is
 * read when the middleware is made, so make it in the plugin's `init`.
 *
 * @public
 */
export function akiliHttpMetrics(plugin: string): RequestHandler {
  const duration: Histogram = akiliMeter('http').createHistogram(
    AKILI_HTTP_SERVER_DURATION,
    {
      description:
        'Duration of the requests of the Akili plugins, per plugin, route pattern, method and status class',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [
          0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
        ],
      },
    },
  );
  // Named, so the security sweep's route table can tell it from a plugin's other handlers.
  return function recordAkiliHttpMetrics(req, res, next) {
    if (measured.has(req)) {
      next();
      return;
    }
    measured.add(req);
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = (statusClass: string) => {
      if (recorded) return;
      recorded = true;
      duration.record(Number(process.hrtime.bigint() - started) / 1e9, {
        plugin,
        route: routeOf(req),
        method: req.method,
        status_class: statusClass,
      });
    };
    res.once('finish', () => record(httpStatusClass(res.statusCode)));
    res.once('close', () => record('aborted'));
    next();
  };
}
