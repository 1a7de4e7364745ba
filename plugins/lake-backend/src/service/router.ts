import express from 'express';
import Router from 'express-promise-router';
import { limitParam, parseRequest } from '@akili/plugin-akili-node';
import {
  isValidTenantName,
  NAME_PATTERN,
  PORT_NAME_PATTERN,
} from '@akili/plugin-akili-common';
import { z } from 'zod';
import { STORAGE_ERROR_STATUS } from './errors';
import { LakeService } from './LakeService';

/** The longest path (relative to a port) or cursor a request may carry: S3's key length. */
const MAX_PATH_LENGTH = 1024;

const NAME = new RegExp(NAME_PATTERN);
const PORT_NAME = new RegExp(PORT_NAME_PATTERN);

const tenantSchema = z
  .string()
  .refine(isValidTenantName, 'must be a tenant name (a DNS label)');

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

/** A path relative to the port (the storage refuses any that would leave it). */
const pathParam = z
  .string({ invalid_type_error: 'must be a string' })
  .max(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`);

const emptyQuerySchema = z.object({}).strict();

const objectsQuerySchema = z
  .object({
    path: pathParam.default(''),
    cursor: z
      .string({ invalid_type_error: 'must be a string' })
      .min(1, 'must not be empty')
      .max(2048, 'must be at most 2048 characters')
      .optional(),
    limit: limitParam(1000, 200),
  })
  .strict();

const previewQuerySchema = z
  .object({
    path: pathParam.min(1, 'must name a file'),
    rows: limitParam(200, 50),
  })
  .strict();

const downloadBodySchema = z
  .object({
    path: pathParam.min(1, 'must name a file'),
  })
  .strict();

/**
 * The lake API for files and storage use (`/api/lake/v1/...`): every route authorizes the caller
 * through `LakeService` (the one authorization path of `akili-node`); a product of another tenant
 * answers exactly as a missing one unless an access agreement grants the port.
 */
export async function createRouter(options: {
  lake: LakeService;
}): Promise<express.Router> {
  const { lake } = options;
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.get('/v1/products/:namespace/:name/ports', async (req, res) => {
    const { namespace, name } = parseRequest(
      productParamsSchema,
      req.params,
      'path',
    );
    parseRequest(emptyQuerySchema, req.query, 'query');
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
      const query = parseRequest(objectsQuerySchema, req.query, 'query');
      res.json(await lake.objects(req, namespace, name, port, query));
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
      const query = parseRequest(previewQuerySchema, req.query, 'query');
      res.json(await lake.preview(req, namespace, name, port, query));
    },
  );

  router.post(
    '/v1/products/:namespace/:name/ports/:port/download',
    json,
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
    parseRequest(emptyQuerySchema, req.query, 'query');
    res.json(await lake.tenantUsage(req, tenant));
  });

  router.get('/v1/usage', async (req, res) => {
    parseRequest(emptyQuerySchema, req.query, 'query');
    res.json(await lake.usage(req));
  });

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
