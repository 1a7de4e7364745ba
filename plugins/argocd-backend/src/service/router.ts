import express from 'express';
import { parseRequest } from '@akili/plugin-akili-node';
import { isValidTenantName, NAME_PATTERN } from '@akili/plugin-akili-common';
import { z } from 'zod';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { DeploymentService } from './DeploymentService';

/**
 * The spec has checked the body's fields (revision's characters and length, prune's type); an
 * unknown field is refused here, by its name.
 */
const syncBodySchema = z
  .object({ revision: z.string().optional(), prune: z.boolean().optional() })
  .strict();

/** The spec's default of the audit's `limit`. */
const DEFAULT_AUDIT_LIMIT = 50;

const NAME = new RegExp(NAME_PATTERN);

/**
 * The product's tenant (catalog namespace) and name, as the path names them. The spec takes any
 * string there (an unknown tenant's product answers 404 like a missing one); the names' own
 * rules are checked here.
 */
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
 * The deployment API (`/api/argocd/v1/...`), as `src/schema/openapi.yaml` describes it: each
 * request is validated against the spec first (a 400 naming the field), and the spec is served
 * at `/openapi.json`. Every route authorizes the caller in the product's
 * tenant through the one authorization path (`TenancyService`, in `DeploymentService`), and a
 * product of another tenant answers exactly as a missing one.
 */
export async function createRouter(options: {
  deployments: DeploymentService;
}): Promise<express.Router> {
  const { deployments } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '16kb' })],
  });

  router.get('/v1/products/:namespace/:name/deployment', async (req, res) => {
    const { namespace, name } = parseRequest(
      pathParamsSchema,
      req.params,
      'path',
    );
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
      res.json(await deployments.drift(req, namespace, name));
    },
  );

  router.post(
    '/v1/products/:namespace/:name/deployment/sync',
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
    const { limit = DEFAULT_AUDIT_LIMIT, cursor } = req.query;
    res.json(
      await deployments.auditTrail(req, req.params.tenant, {
        limit,
        ...(cursor === undefined ? {} : { before: cursor }),
      }),
    );
  });

  return router;
}
