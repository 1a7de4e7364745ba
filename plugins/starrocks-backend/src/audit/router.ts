import express from 'express';
import Router from 'express-promise-router';
import { InputError } from '@backstage/errors';
import { TenancyService } from '@akili/plugin-akili-node';
import {
  akiliQueryAuditReadPermission,
  QueryAuditPage,
} from '@akili/plugin-starrocks-common';
import { z } from 'zod';
import { QUERY_OUTCOMES, QueryAuditStore } from './QueryAuditStore';

const auditQuery = z
  .object({
    limit: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .default(50),
    cursor: z
      .string()
      .regex(/^[1-9][0-9]{0,17}$/, 'is not a cursor of this list')
      .optional(),
    actor: z
      .string()
      .regex(
        /^(user:[^/\s]+\/[^\s]+|token:[^\s]+)$/,
        'must be a user entity ref (user:<namespace>/<name>) or token:<id>',
      )
      .max(255)
      .optional(),
    outcome: z
      .enum(QUERY_OUTCOMES, {
        errorMap: () => ({
          message: `must be one of ${QUERY_OUTCOMES.join(', ')}`,
        }),
      })
      .optional(),
  })
  .strict();

/**
 * `GET /v1/tenants/:tenant/audit?limit&cursor&actor&outcome`: the tenant's query audit trail,
 * newest first, for those who may read it (`akili.query.audit.read`: operators). Another tenant
 * answers as a missing one.
 */
export function createAuditRouter(options: {
  tenancy: TenancyService;
  store: QueryAuditStore;
}): express.Router {
  const { tenancy, store } = options;
  const router = Router();

  router.get('/v1/tenants/:tenant/audit', async (req, res) => {
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQueryAuditReadPermission,
    });
    const parsed = auditQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new InputError(
        `Invalid audit query: ${parsed.error.issues
          .map(issue =>
            issue.code === 'unrecognized_keys'
              ? `unknown parameter ${issue.keys.join(', ')}`
              : `${issue.path.join('.')} ${issue.message}`,
          )
          .join('; ')}`,
      );
    }
    const { limit, cursor, actor, outcome } = parsed.data;
    const page: QueryAuditPage = await store.list(tenant, {
      limit,
      before: cursor,
      actor,
      outcome,
    });
    res.json(page);
  });

  return router;
}
