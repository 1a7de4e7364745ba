import express from 'express';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { akiliBodyParsers } from './manifestBody';

/**
 * The plugin's one router, as `src/schema/openapi.yaml` describes it: it reads each request's
 * body (a manifest as text, anything else as JSON), validates the request against the spec (a
 * 400 naming the field otherwise), serves the spec at `/openapi.json`, and passes the request on
 * to `routers` in order. The tenants router goes first: its member tracking sees every request
 * that reaches the routes.
 */
export async function createRouter(
  routers: readonly express.Router[],
): Promise<express.Router> {
  // Who may call is Backstage's httpAuth and the tenancy path (401, 403, 404), never a 400 of
  // the validator (the generated router turns its security check off): the spec's `security`
  // documents the tokens each route accepts.
  const router = await createOpenApiRouter({ middleware: akiliBodyParsers() });
  for (const inner of routers) {
    router.use(inner);
  }
  return router;
}
