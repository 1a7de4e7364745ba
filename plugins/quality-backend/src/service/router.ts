import express from 'express';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TenancyService } from '@akili/plugin-akili-node';
import {
  akiliQualityIncidentsReadPermission,
  akiliQualityReadPermission,
} from '@akili/plugin-quality-common';
import { addIncidentRoutes, IncidentStore } from '../incidents';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { QualityStore } from './QualityStore';
import { QualityService } from './QualityService';

/** `POST /v1/products/:namespace/:name/results`, whose body may be large. */
const REPORT_PATH = /^\/v1\/products\/[^/]+\/[^/]+\/results\/?$/;

/**
 * JSON bodies: a report of up to 1000 results with messages of up to 4 KiB may take 8 MB; every
 * other body (incident actions) is small.
 */
function jsonBodies(): express.RequestHandler {
  const report = express.json({ limit: '8mb' });
  const other = express.json({ limit: '64kb' });
  // Named: the security sweep knows it by name as middleware that never answers by itself.
  return function qualityJsonBodies(req, res, next) {
    (req.method === 'POST' && REPORT_PATH.test(req.path) ? report : other)(
      req,
      res,
      next,
    );
  };
}

/**
 * The quality API (`/api/quality/v1/...`), as `src/schema/openapi.yaml` describes it: each
 * request is validated against the spec first (a 400 naming the field), and the spec is served
 * at `/openapi.json`. The incident routes are `addIncidentRoutes`'. Every route
 * authorizes the caller in the tenant it asks about through the one authorization path
 * (`TenancyService`), and a product of another tenant answers exactly as a missing one.
 */
export async function createRouter(options: {
  tenancy: TenancyService;
  quality: QualityService;
  store: QualityStore;
  incidents: IncidentStore;
  /** When given, a product's incidents answer 404 for a product missing from the catalog. */
  catalog?: CatalogService;
}): Promise<express.Router> {
  const { tenancy, quality, store, incidents, catalog } = options;
  const router = await createOpenApiRouter({ middleware: [jsonBodies()] });

  router.get('/v1/products/:namespace/:name/summary', async (req, res) => {
    const { namespace, name } = req.params;
    res.json(await quality.summary(req, namespace, name));
  });

  router.get('/v1/products/:namespace/:name/trend', async (req, res) => {
    const { namespace, name } = req.params;
    const target = await quality.productTarget(
      req,
      namespace,
      name,
      akiliQualityReadPermission,
    );
    res.json({
      product: target.ref,
      days: await store.trend(target.tenant, target.name, req.query.days ?? 30),
    });
  });

  router.get('/v1/products/:namespace/:name/results', async (req, res) => {
    const { namespace, name } = req.params;
    const target = await quality.productTarget(
      req,
      namespace,
      name,
      akiliQualityReadPermission,
    );
    res.json(
      await store.results(target.tenant, target.name, {
        rule: req.query.rule,
        limit: req.query.limit ?? 50,
        // The store refuses a cursor that is not one of its own.
        cursor: req.query.cursor,
      }),
    );
  });

  router.post('/v1/products/:namespace/:name/results', async (req, res) => {
    const { namespace, name } = req.params;
    // The spec checked the shape; the store checks each time (a time, not in the future).
    res.status(201).json(await quality.report(req, namespace, name, req.body));
  });

  router.get('/v1/tenants/:tenant/scores', async (req, res) => {
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQualityReadPermission,
    });
    res.json(await store.scores(tenant));
  });

  router.get('/v1/tenants/:tenant/dashboard', async (req, res) => {
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQualityIncidentsReadPermission,
    });
    res.json(await store.dashboard(tenant, req.query.days ?? 30));
  });

  addIncidentRoutes(router, { tenancy, incidents, catalog });

  return router;
}
