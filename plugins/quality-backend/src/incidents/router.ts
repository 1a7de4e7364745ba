import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SERIAL_ID_PATTERN, TenancyService } from '@akili/plugin-akili-node';
import {
  akiliQualityIncidentsManagePermission,
  akiliQualityIncidentsReadPermission,
  akiliQualityReadPermission,
} from '@akili/plugin-quality-common';
import { spec } from '../schema/openapi/generated/router';
import { IncidentStore } from './IncidentStore';

const PRODUCT_NAME = /^[a-z0-9][a-z0-9-]{0,254}$/i;
const PRODUCT_REF = /^dataproduct:([a-z0-9-]+)\/([a-z0-9][a-z0-9-]*)$/i;

/** An entity ref of kind user (`user:<namespace>/<name>`), as given. */
function isUserRef(value: string): boolean {
  try {
    return parseEntityRef(value).kind.toLocaleLowerCase('en-US') === 'user';
  } catch {
    return false;
  }
}

/** A product filter (name or ref) as a product name of `tenant`; another tenant's is none. */
function productFilter(
  tenant: string,
  product: string | undefined,
): string | undefined | null {
  if (product === undefined) return undefined;
  const ref = PRODUCT_REF.exec(product);
  if (!ref) return product;
  return ref[1].toLocaleLowerCase('en-US') === tenant ? ref[2] : null;
}

/** A page cursor of the incident lists (a serial id); anything else is refused. */
function checkCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && !SERIAL_ID_PATTERN.test(cursor)) {
    throw new InputError('cursor is not a cursor of this list');
  }
  return cursor;
}

/** The quality plugin's router, typed and validated from `src/schema/openapi.yaml`. */
export type QualityApiRouter = ApiRouter<typeof spec>;

/**
 * Adds the incident routes of the quality API (`/api/quality/v1/...`) to its router: a tenant's
 * incident queue, one incident with its timeline, acknowledge, assign, resolve and comment, and a
 * product's incidents. The router's OpenAPI validator has checked each query and body against
 * the spec; the checks left here are the domain's. Every route authorizes through the one
 * authorization path (`TenancyService`): an incident of a tenant the caller may not see answers
 * exactly as a missing one (`No incident <id>`), and so does a product (`No data product <ref>`).
 */
export function addIncidentRoutes(
  router: QualityApiRouter,
  options: {
    tenancy: TenancyService;
    incidents: IncidentStore;
    /** When given, a product's incidents answer 404 for a product missing from the catalog. */
    catalog?: CatalogService;
  },
): void {
  const { tenancy, incidents, catalog } = options;

  /** Authorizes the caller on an incident of the tenant in the path: its tenant and actor. */
  const authorizeIncident = async (
    req: express.Request<{ tenant: string; id: string }>,
    manage: boolean,
  ) => {
    const { id } = req.params;
    const authorization = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: manage
        ? akiliQualityIncidentsManagePermission
        : akiliQualityIncidentsReadPermission,
      notFoundMessage: `No incident ${id.slice(0, 40)}`,
    });
    if (!SERIAL_ID_PATTERN.test(id)) {
      throw new NotFoundError(`No incident ${id.slice(0, 40)}`);
    }
    return { tenant: authorization.tenant, id, actor: authorization.actorRef };
  };

  router.get('/v1/tenants/:tenant/incidents', async (req, res) => {
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQualityIncidentsReadPermission,
    });
    const { state = 'open', product: filter, limit = 50, cursor } = req.query;
    if (
      filter !== undefined &&
      !PRODUCT_NAME.test(filter) &&
      !PRODUCT_REF.test(filter)
    ) {
      throw new InputError('product must be a data product name or ref');
    }
    const product = productFilter(tenant, filter);
    if (product === null) {
      res.json({ items: [] });
      return;
    }
    res.json(
      await incidents.list(tenant, {
        state,
        product,
        limit,
        cursor: checkCursor(cursor),
      }),
    );
  });

  router.get('/v1/tenants/:tenant/incidents/:id', async (req, res) => {
    const { tenant, id } = await authorizeIncident(req, false);
    res.json(await incidents.get(tenant, id));
  });

  router.post(
    '/v1/tenants/:tenant/incidents/:id/acknowledge',
    async (req, res) => {
      const { tenant, id, actor } = await authorizeIncident(req, true);
      res.json(await incidents.acknowledge(tenant, id, actor));
    },
  );

  router.post('/v1/tenants/:tenant/incidents/:id/assign', async (req, res) => {
    const { tenant, id, actor } = await authorizeIncident(req, true);
    const { assignee } = req.body;
    if (!isUserRef(assignee)) {
      throw new InputError(
        'assignee must be a user entity ref (user:<namespace>/<name>)',
      );
    }
    res.json(
      await incidents.assign(
        tenant,
        id,
        stringifyEntityRef(parseEntityRef(assignee)),
        actor,
      ),
    );
  });

  // The store checks the comment the reason `other` needs.
  router.post('/v1/tenants/:tenant/incidents/:id/resolve', async (req, res) => {
    const { tenant, id, actor } = await authorizeIncident(req, true);
    const { reason, comment } = req.body;
    res.json(await incidents.resolve(tenant, id, reason, comment, actor));
  });

  // The store refuses a comment of spaces only.
  router.post(
    '/v1/tenants/:tenant/incidents/:id/comments',
    async (req, res) => {
      const { tenant, id, actor } = await authorizeIncident(req, true);
      res
        .status(201)
        .json(await incidents.comment(tenant, id, req.body.comment, actor));
    },
  );

  router.get('/v1/products/:namespace/:name/incidents', async (req, res) => {
    const { namespace, name } = req.params;
    const ref = `dataproduct:${namespace}/${name}`;
    const authorization = await tenancy.authorize(req, {
      tenant: namespace,
      permission: akiliQualityReadPermission,
      notFoundMessage: `No data product ${ref}`,
    });
    if (!PRODUCT_NAME.test(name)) {
      throw new NotFoundError(`No data product ${ref}`);
    }
    if (catalog) {
      const entityRef = { kind: 'DataProduct', namespace, name };
      const entity = await catalog.getEntityByRef(entityRef, {
        credentials: await tenancy.catalogCredentials(authorization, entityRef),
      });
      if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
        throw new NotFoundError(`No data product ${ref}`);
      }
    }
    const { state = 'open', limit = 50, cursor } = req.query;
    res.json(
      await incidents.list(authorization.tenant, {
        state,
        product: name,
        limit,
        cursor: checkCursor(cursor),
      }),
    );
  });
}
