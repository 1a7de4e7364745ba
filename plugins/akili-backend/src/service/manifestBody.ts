import express from 'express';
import { InputError } from '@backstage/errors';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';

/** Media types accepted as manifest text; JSON is read as text too, to keep line numbers. */
export const MANIFEST_MEDIA_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
  'application/json',
];

/** The routes whose body is a manifest as text (Express matches paths case-insensitively). */
const MANIFEST_ROUTES = [
  /^\/v1\/manifests\/validate\/?$/i,
  /^\/v1\/tenants\/[^/]+\/products\/?$/i,
];

/** JSON bodies larger or smaller than the default 64 kB, by route. */
const JSON_LIMITS: ReadonlyArray<{ route: RegExp; limit: string }> = [
  // GitLab's merge-request events.
  { route: /^\/v1\/webhooks\/gitlab\/?$/i, limit: '1mb' },
  {
    route: /^\/v1\/tenants\/[^/]+\/products\/[^/]+\/deploy\/?$/i,
    limit: '4kb',
  },
  { route: /^\/v1\/tenants\/[^/]+\/api-tokens\/?$/i, limit: '16kb' },
  { route: /^\/v1\/internal\/api-tokens\/status\/?$/i, limit: '16kb' },
];

/** The request as body-parser hands it to a `type` function: Express's, inside a router. */
function routeOf(req: unknown): string {
  return (req as express.Request).path;
}

/**
 * The body parsers of the plugin's validated router, run before the OpenAPI validator: a
 * manifest route's body as text (up to a little past the manifest cap, so the manifest parser,
 * not the body parser, reports a manifest just over it), every other JSON body as JSON with its
 * route's limit.
 */
export function akiliBodyParsers(): express.RequestHandler[] {
  return [
    express.text({
      type: req =>
        MANIFEST_ROUTES.some(route => route.test(routeOf(req))) &&
        Boolean((req as express.Request).is(MANIFEST_MEDIA_TYPES)),
      limit: MAX_MANIFEST_BYTES + 1024,
    }),
    // A body read by one parser is skipped by the next (body-parser's `req._body`).
    ...JSON_LIMITS.map(({ route, limit }) =>
      express.json({
        type: req =>
          route.test(routeOf(req)) &&
          Boolean((req as express.Request).is('application/json')),
        limit,
      }),
    ),
    express.json({ limit: '64kb' }),
  ];
}

/** The manifest text of a request read by {@link akiliBodyParsers}; `InputError` otherwise. */
export function manifestTextOf(req: express.Request): string {
  if (typeof req.body !== 'string') {
    throw new InputError(
      `Send the manifest as the request body with Content-Type ${MANIFEST_MEDIA_TYPES.slice(
        0,
        3,
      ).join(', ')} or application/json`,
    );
  }
  return req.body;
}
