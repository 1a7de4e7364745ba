import express from 'express';
import Router from 'express-promise-router';
import {
  cursorParam,
  limitParam,
  parseRequest,
} from '@akili/plugin-akili-node';
import { isValidTenantName, NAME_PATTERN } from '@akili/plugin-akili-common';
import { z } from 'zod';
import { DeploymentService } from './DeploymentService';

/** A Git revision: a branch, tag or commit (no spaces or control characters). */
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._/@^~+-]{0,254}$/;

const emptyQuerySchema = z.object({}).strict();

const auditQuerySchema = z
  .object({ limit: limitParam(200, 50), cursor: cursorParam() })
  .strict();

const syncBodySchema = z
  .object({
    revision: z
      .string({ invalid_type_error: 'must be a string' })
      .regex(
        REVISION,
        'must be a branch, tag or commit (letters, digits, . _ / @ ^ ~ + -, at most 255)',
      )
      .optional(),
    prune: z
      .boolean({ invalid_type_error: 'must be true or false' })
      .optional(),
  })
  .strict();

const NAME = new RegExp(NAME_PATTERN);

/** The product's tenant (catalog namespace) and name, as the path names them. */
const pathParamsSchema = z.object({
  namespace: z
    .string()
    .refine(isValidTenantName, 'must be a tenant name (a DNS label)'),
  name: z
    .string()
    .max(63, 'must be at most 63 characters')
    .regex(NAME, 'must be a data product name (a DNS label)'),
});

/**
 * The deployment API (`/api/argocd/v1/...`): every route authorizes the caller in the product's
 * tenant through the one authorization path (`TenancyService`, in `DeploymentService`), and a
 * product of another tenant answers exactly as a missing one.
 */
export async function createRouter(options: {
  deployments: DeploymentService;
}): Promise<express.Router> {
  const { deployments } = options;
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.get('/v1/products/:namespace/:name/deployment', async (req, res) => {
    const { namespace, name } = parseRequest(
      pathParamsSchema,
      req.params,
      'path',
    );
    parseRequest(emptyQuerySchema, req.query, 'query');
    res.json(await deployments.deployment(req, namespace, name));
  });

  router.get(
    '/v1/products/:namespace/:name/deployment/drift',
    async (req, res) => {
      const { namespace, name } = parseRequest(
        pathParamsSchema,
        req.params,
        'path',
      );
      parseRequest(emptyQuerySchema, req.query, 'query');
      res.json(await deployments.drift(req, namespace, name));
    },
  );

  router.post(
    '/v1/products/:namespace/:name/deployment/sync',
    json,
    async (req, res) => {
      const { namespace, name } = parseRequest(
        pathParamsSchema,
        req.params,
        'path',
      );
      const body = parseRequest(syncBodySchema, req.body, 'body');
      res.status(202).json(await deployments.sync(req, namespace, name, body));
    },
  );

  router.get('/v1/tenants/:tenant/deployment-audit', async (req, res) => {
    const query = parseRequest(auditQuerySchema, req.query, 'query');
    res.json(
      await deployments.auditTrail(req, req.params.tenant, {
        limit: query.limit,
        before: query.cursor,
      }),
    );
  });

  return router;
}
