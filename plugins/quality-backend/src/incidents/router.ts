import express from 'express';
import Router from 'express-promise-router';
import { NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  cursorParam,
  limitParam,
  parseRequest,
  SERIAL_ID_PATTERN,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  akiliQualityIncidentsManagePermission,
  akiliQualityIncidentsReadPermission,
  akiliQualityReadPermission,
  INCIDENT_RESOLUTION_REASONS,
  INCIDENT_STATES,
} from '@akili/plugin-quality-common';
import { z } from 'zod';
import {
  IncidentListState,
  IncidentStore,
  MAX_INCIDENT_COMMENT_LENGTH,
} from './IncidentStore';

const PRODUCT_NAME = /^[a-z0-9][a-z0-9-]{0,254}$/i;
const PRODUCT_REF = /^dataproduct:([a-z0-9-]+)\/([a-z0-9][a-z0-9-]*)$/i;

const limit = limitParam(200, 50);
const cursor = cursorParam();

const STATE_FILTERS = ['open', 'all', ...INCIDENT_STATES] as const;

const tenantIncidentsQuerySchema = z
  .object({
    state: z
      .enum(STATE_FILTERS, {
        errorMap: () => ({
          message: `must be one of ${STATE_FILTERS.join(', ')}`,
        }),
      })
      .default('open'),
    product: z
      .string()
      .refine(
        value => PRODUCT_NAME.test(value) || PRODUCT_REF.test(value),
        'must be a data product name or ref',
      )
      .optional(),
    limit,
    cursor,
  })
  .strict();

const productIncidentsQuerySchema = z
  .object({
    state: z
      .enum(['open', 'all'], {
        errorMap: () => ({ message: 'must be one of open, all' }),
      })
      .default('open'),
    limit,
    cursor,
  })
  .strict();

const emptyBodySchema = z.object({}).strict();

const assignSchema = z
  .object({
    assignee: z.string({ required_error: 'is required' }).refine(value => {
      try {
        return parseEntityRef(value).kind.toLocaleLowerCase('en-US') === 'user';
      } catch {
        return false;
      }
    }, 'must be a user entity ref (user:<namespace>/<name>)'),
  })
  .strict();

const comment = z
  .string()
  .max(
    MAX_INCIDENT_COMMENT_LENGTH,
    `must be at most ${MAX_INCIDENT_COMMENT_LENGTH} characters`,
  );

const resolveSchema = z
  .object({
    reason: z.enum(
      INCIDENT_RESOLUTION_REASONS as [
        (typeof INCIDENT_RESOLUTION_REASONS)[number],
        ...(typeof INCIDENT_RESOLUTION_REASONS)[number][],
      ],
      {
        errorMap: () => ({
          message: `must be one of ${INCIDENT_RESOLUTION_REASONS.join(', ')}`,
        }),
      },
    ),
    comment: comment.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.reason === 'other' && !body.comment?.trim()) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['comment'],
        message: 'is required when the reason is other',
      });
    }
  });

const commentSchema = z
  .object({
    comment: comment.refine(value => value.trim() !== '', 'must not be empty'),
  })
  .strict();

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

/**
 * The incident routes of the quality API (`/api/quality/v1/...`): a tenant's incident queue,
 * one incident with its timeline, acknowledge, assign, resolve and comment, and a product's
 * incidents. Every route authorizes through the one authorization path (`TenancyService`): an
 * incident of a tenant the caller may not see answers exactly as a missing one
 * (`No incident <id>`), and so does a product (`No data product <ref>`).
 */
export async function createIncidentsRouter(options: {
  tenancy: TenancyService;
  incidents: IncidentStore;
  /** When given, a product's incidents answer 404 for a product missing from the catalog. */
  catalog?: CatalogService;
}): Promise<express.Router> {
  const { tenancy, incidents, catalog } = options;
  const router = Router();
  const json = express.json({ limit: '64kb' });

  router.get('/v1/tenants/:tenant/incidents', async (req, res) => {
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQualityIncidentsReadPermission,
    });
    const query = parseRequest(tenantIncidentsQuerySchema, req.query, 'query');
    const product = productFilter(tenant, query.product);
    if (product === null) {
      res.json({ items: [] });
      return;
    }
    res.json(
      await incidents.list(tenant, {
        state: query.state as IncidentListState,
        product,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  });

  const incidentRoute = (
    manage: boolean,
    path: string,
    handle: (
      req: express.Request,
      tenant: string,
      id: string,
      actor: string,
    ) => Promise<unknown>,
    status = 200,
  ) => {
    const route = `/v1/tenants/:tenant/incidents/:id${path}`;
    const handler = async (req: express.Request, res: express.Response) => {
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
      res
        .status(status)
        .json(
          await handle(req, authorization.tenant, id, authorization.actorRef),
        );
    };
    if (manage) router.post(route, json, handler);
    else router.get(route, handler);
  };

  incidentRoute(false, '', (_req, tenant, id) => incidents.get(tenant, id));

  incidentRoute(true, '/acknowledge', (req, tenant, id, actor) => {
    parseRequest(emptyBodySchema, req.body, 'body');
    return incidents.acknowledge(tenant, id, actor);
  });

  incidentRoute(true, '/assign', (req, tenant, id, actor) => {
    const body = parseRequest(assignSchema, req.body, 'body');
    return incidents.assign(
      tenant,
      id,
      stringifyEntityRef(parseEntityRef(body.assignee)),
      actor,
    );
  });

  incidentRoute(true, '/resolve', (req, tenant, id, actor) => {
    const body = parseRequest(resolveSchema, req.body, 'body');
    return incidents.resolve(tenant, id, body.reason, body.comment, actor);
  });

  incidentRoute(
    true,
    '/comments',
    (req, tenant, id, actor) => {
      const body = parseRequest(commentSchema, req.body, 'body');
      return incidents.comment(tenant, id, body.comment, actor);
    },
    201,
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
    const query = parseRequest(productIncidentsQuerySchema, req.query, 'query');
    if (catalog) {
      const entityRef = { kind: 'DataProduct', namespace, name };
      const entity = await catalog.getEntityByRef(entityRef, {
        credentials: await tenancy.catalogCredentials(authorization, entityRef),
      });
      if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
        throw new NotFoundError(`No data product ${ref}`);
      }
    }
    res.json(
      await incidents.list(authorization.tenant, {
        state: query.state,
        product: name,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  });

  return router;
}
