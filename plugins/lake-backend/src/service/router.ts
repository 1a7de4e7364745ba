import express from 'express';
import { parseRequest } from '@akili/plugin-akili-node';
import {
  isValidTenantName,
  NAME_PATTERN,
  PORT_NAME_PATTERN,
} from '@akili/plugin-akili-common';
import { z } from 'zod';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { STORAGE_ERROR_STATUS } from './errors';
import { LakeService } from './LakeService';

/** The spec's defaults of `limit` (objects) and `rows` (preview). */
const DEFAULT_OBJECTS_LIMIT = 200;
const DEFAULT_PREVIEW_ROWS = 50;

const NAME = new RegExp(NAME_PATTERN);
const PORT_NAME = new RegExp(PORT_NAME_PATTERN);

const tenantSchema = z
  .string()
  .refine(isValidTenantName, 'must be a tenant name (a DNS label)');

// The spec takes any string in the path (an unknown tenant's product answers 404 like a missing
// one); the names' own rules are checked here.

/** The product's tenant (catalog namespace) and name, as the path names them. */
const productParamsSchema = z.object({
  namespace: tenantSchema,
  name: z
    .string()
    .max(63, 'must be at most 63 characters')
    .regex(NAME, 'must be a data product name (a DNS label)'),
});

const portParamsSchema = productParamsSchema.extend({
  port: z
    .string()
    .max(63, 'must be at most 63 characters')
    .regex(PORT_NAME, 'must be an output port name'),
});

const tenantParamsSchema = z.object({ tenant: tenantSchema });

/** The spec has checked the path; an unknown field is refused here, by its name. */
const downloadBodySchema = z.object({ path: z.string() }).strict();

/**
 * The lake API (`/api/lake/v1/...`), as `src/schema/openapi.yaml` describes it: each request is
 * validated against the spec first (a 400 naming the field), and the spec is served at
 * `/openapi.json`. The file and usage routes authorize the caller through `LakeService` (the one
 * authorization path of `akili-node`); a product of another tenant answers exactly as a missing
 * one unless an access agreement grants the port. The access agreement routes are mounted
 * inside, so the same validation applies to them.
 */
export async function createRouter(options: {
  lake: LakeService;
  /** The access agreement routes (`createAgreementsRouter`). */
  agreements: express.Router;
}): Promise<express.Router> {
  const { lake, agreements } = options;
  // The largest body is an agreement request (a purpose and up to 1,000 columns).
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '64kb' })],
  });

  router.get('/v1/products/:namespace/:name/ports', async (req, res) => {
    const { namespace, name } = parseRequest(
      productParamsSchema,
      req.params,
      'path',
    );
    res.json(await lake.ports(req, namespace, name));
  });

  router.get(
    '/v1/products/:namespace/:name/ports/:port/objects',
    async (req, res) => {
      const { namespace, name, port } = parseRequest(
        portParamsSchema,
        req.params,
        'path',
      );
      const { path = '', cursor, limit = DEFAULT_OBJECTS_LIMIT } = req.query;
      res.json(
        await lake.objects(req, namespace, name, port, {
          path,
          limit,
          ...(cursor === undefined ? {} : { cursor }),
        }),
      );
    },
  );

  router.get(
    '/v1/products/:namespace/:name/ports/:port/preview',
    async (req, res) => {
      const { namespace, name, port } = parseRequest(
        portParamsSchema,
        req.params,
        'path',
      );
      const { path, rows = DEFAULT_PREVIEW_ROWS } = req.query;
      res.json(await lake.preview(req, namespace, name, port, { path, rows }));
    },
  );

  router.post(
    '/v1/products/:namespace/:name/ports/:port/download',
    async (req, res) => {
      const { namespace, name, port } = parseRequest(
        portParamsSchema,
        req.params,
        'path',
      );
      const body = parseRequest(downloadBodySchema, req.body, 'body');
      res.json(await lake.download(req, namespace, name, port, body));
    },
  );

  router.get('/v1/tenants/:tenant/usage', async (req, res) => {
    const { tenant } = parseRequest(tenantParamsSchema, req.params, 'path');
    res.json(await lake.tenantUsage(req, tenant));
  });

  router.get('/v1/usage', async (req, res) => {
    res.json(await lake.usage(req));
  });

  router.use(agreements);

  // The storage's errors by name (503 unavailable, 502 credentials, 422 preview), for the
  // framework's error handler, which reads `statusCode`.
  router.use(
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      const e = error as { name?: string; statusCode?: unknown };
      const status = e?.name ? STORAGE_ERROR_STATUS[e.name] : undefined;
      if (status && typeof e.statusCode !== 'number') {
        try {
          Object.assign(error as object, { statusCode: status });
        } catch {
          // A frozen error keeps its own status.
        }
      }
      next(error);
    },
  );

  return router;
}
