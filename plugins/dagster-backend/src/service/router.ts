import express from 'express';
import { InputError } from '@backstage/errors';
import { TenancyService } from '@akili/plugin-akili-node';
import {
  akiliRunsOperatePermission,
  launchRunConfigProblem,
} from '@akili/plugin-dagster-common';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { RUN_ID_PATTERN } from './mapping';
import { RunAuditStore } from './RunAuditStore';
import { RunsService } from './RunsService';

/** Dagster run ids are UUIDs; anything else never reaches Dagster. */
const RUN_ID = RUN_ID_PATTERN;

/** The longest JSON body the routes take (a launch's run config is the largest). */
const JSON_BODY_LIMIT = '256kb';

// The defaults of the spec's `limit` parameters (the validator checks the ranges, not defaults).
const DEFAULT_RUN_LIMIT = 50;
const DEFAULT_LOG_LIMIT = 200;
const DEFAULT_AUDIT_LIMIT = 50;

function runIdOf(runId: string): string {
  if (!RUN_ID.test(runId)) {
    throw new InputError(`Invalid run id '${runId.slice(0, 80)}'`);
  }
  return runId;
}

/**
 * The runs API (`/api/dagster/v1/...`), as `src/schema/openapi.yaml` describes it: each request
 * is validated against the spec first (types, ranges, statuses, unknown fields and parameters),
 * and the spec is served at `/openapi.json`. Every route authenticates the caller and authorizes
 * each run operation in the run's or product's tenant through the one authorization path
 * (`TenancyService`: tenant roles, API tokens, tenant status and the permission policy; see
 * `RunsService`).
 */
export async function createRouter(options: {
  tenancy: TenancyService;
  runs: RunsService;
  audit: RunAuditStore;
}): Promise<express.Router> {
  const { tenancy, runs, audit } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: JSON_BODY_LIMIT })],
  });

  router.get('/v1/products/:namespace/:name/runs', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const { namespace, name } = req.params;
    const query = req.query;
    const target = await runs.productTarget(identity, namespace, name, 'read');
    res.json(
      await runs.listProductRuns(target, {
        statuses: query.status,
        createdAfter: query.createdAfter,
        createdBefore: query.createdBefore,
        limit: query.limit ?? DEFAULT_RUN_LIMIT,
        cursor: query.cursor,
      }),
    );
  });

  router.post('/v1/products/:namespace/:name/runs', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const { namespace, name } = req.params;
    const body = req.body ?? {};
    // The spec checks the body's shape; which run config sections a launch may set is ours.
    const problem = body.runConfig && launchRunConfigProblem(body.runConfig);
    if (problem) {
      throw new InputError(`Invalid body: runConfig ${problem}`);
    }
    const target = await runs.productTarget(
      identity,
      namespace,
      name,
      'launch',
    );
    res.status(201).json(await runs.launch(identity, target, body));
  });

  router.get('/v1/runs/:runId', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    res.json(await runs.getRun(identity, runIdOf(req.params.runId)));
  });

  router.get('/v1/runs/:runId/logs', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const runId = runIdOf(req.params.runId);
    const { cursor, limit, levels } = req.query;
    res.json(
      await runs.getRunLogs(identity, runId, {
        cursor,
        limit: limit ?? DEFAULT_LOG_LIMIT,
        levels,
      }),
    );
  });

  router.post('/v1/runs/:runId/reexecute', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const runId = runIdOf(req.params.runId);
    res.status(201).json(await runs.reexecute(identity, runId, req.body ?? {}));
  });

  router.post('/v1/runs/:runId/terminate', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    res.json(await runs.terminate(identity, runIdOf(req.params.runId)));
  });

  router.get('/v1/tenants/:tenant/runs', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const { tenant } = req.params;
    const query = req.query;
    res.json(
      await runs.listTenantRuns(identity, tenant, {
        statuses: query.status,
        createdAfter: query.createdAfter,
        createdBefore: query.createdBefore,
        job: query.job,
        product: query.product,
        limit: query.limit ?? DEFAULT_RUN_LIMIT,
        cursor: query.cursor,
      }),
    );
  });

  router.get('/v1/tenants/:tenant/run-permissions', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    res.json(await runs.permissions(identity, req.params.tenant));
  });

  router.get('/v1/tenants/:tenant/run-audit', async (req, res) => {
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliRunsOperatePermission,
    });
    const { limit, cursor } = req.query;
    res.json(
      await audit.list(tenant, {
        limit: limit ?? DEFAULT_AUDIT_LIMIT,
        before: cursor,
      }),
    );
  });

  return router;
}
