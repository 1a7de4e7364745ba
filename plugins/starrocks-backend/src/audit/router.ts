import type { ApiRouter } from '@backstage/backend-openapi-utils';
import { TenancyService } from '@akili/plugin-akili-node';
import {
  akiliQueryAuditReadPermission,
  QueryAuditPage,
} from '@akili/plugin-starrocks-common';
import { spec } from '../schema/openapi/generated/router';
import { QueryAuditStore } from './QueryAuditStore';

/** The plugin's router, validated against its OpenAPI spec. */
export type QueryApiRouter = ApiRouter<typeof spec>;

/** The default of the spec's `limit` (the validator checks the range). */
const DEFAULT_AUDIT_LIMIT = 50;

/**
 * Adds `GET /v1/tenants/:tenant/audit?limit&cursor&actor&outcome` to the query API's router: the
 * tenant's query audit trail, newest first, for those who may read it
 * (`akili.query.audit.read`: operators). Another tenant answers as a missing one. The spec
 * checks the filters (a user entity ref or `token:<id>`, an outcome, a cursor of this list).
 */
export function addAuditRoute(
  router: QueryApiRouter,
  options: { tenancy: TenancyService; store: QueryAuditStore },
): void {
  const { tenancy, store } = options;

  router.get('/v1/tenants/:tenant/audit', async (req, res) => {
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQueryAuditReadPermission,
    });
    const { limit, cursor, actor, outcome } = req.query;
    const page: QueryAuditPage = await store.list(tenant, {
      limit: limit ?? DEFAULT_AUDIT_LIMIT,
      before: cursor,
      actor,
      outcome,
    });
    res.json(page);
  });
}
