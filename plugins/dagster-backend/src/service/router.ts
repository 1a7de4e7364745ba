import express from 'express';
import Router from 'express-promise-router';
import { InputError } from '@backstage/errors';
import {
  cursorParam,
  limitParam,
  parseRequest,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  akiliRunsOperatePermission,
  DAGSTER_RUN_STATUSES,
  launchRunConfigProblem,
  DagsterRunStatus,
  RUN_LOG_LEVELS,
  RunLogLevel,
} from '@akili/plugin-dagster-common';
import { z } from 'zod';
import { RUN_ID_PATTERN } from './mapping';
import { RunAuditStore } from './RunAuditStore';
import { RunsService } from './RunsService';

/** Dagster run ids are UUIDs; anything else never reaches Dagster. */
const RUN_ID = RUN_ID_PATTERN;

function commaList<T extends string>(allowed: readonly T[], what: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      const items = value.split(',').map(item => item.trim());
      const unknown = items.filter(item => !allowed.includes(item as T));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `unknown ${what} ${unknown.join(
            ', ',
          )} (one of ${allowed.join(', ')})`,
        });
        return z.NEVER;
      }
      return items as T[];
    });
}

const isoDate = z
  .string()
  .refine(value => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 time')
  .optional();

const runListQuery = {
  status: commaList(
    DAGSTER_RUN_STATUSES as readonly DagsterRunStatus[],
    'status',
  ),
  createdAfter: isoDate,
  createdBefore: isoDate,
  limit: limitParam(200, 50),
  cursor: cursorParam(RUN_ID),
};

const productRunsQuerySchema = z.object(runListQuery).strict();

const tenantRunsQuerySchema = z
  .object({
    ...runListQuery,
    job: z.string().min(1).max(255).optional(),
    product: z
      .string()
      .regex(
        /^dataproduct:[a-z0-9-]+\/[a-z0-9][a-z0-9-]*$/i,
        'must be a data product ref',
      )
      .optional(),
  })
  .strict();

const logsQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: limitParam(1000, 200),
    levels: commaList(RUN_LOG_LEVELS as readonly RunLogLevel[], 'level'),
  })
  .strict();

const auditQuerySchema = z
  .object({
    limit: limitParam(200, 50),
    cursor: cursorParam(),
  })
  .strict();

const assetKey = z.array(z.string().min(1).max(255)).min(1).max(20);

const launchSchema = z
  .object({
    job: z.string().min(1).max(255).optional(),
    assetKeys: z.array(assetKey).max(500).optional(),
    runConfig: z
      .record(z.unknown())
      .superRefine((config, ctx) => {
        const problem = launchRunConfigProblem(config);
        if (problem) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        }
      })
      .optional(),
  })
  .strict();

const reexecuteSchema = z
  .object({
    strategy: z
      .enum(['FROM_FAILURE', 'ALL_STEPS'], {
        errorMap: () => ({ message: 'must be FROM_FAILURE or ALL_STEPS' }),
      })
      .optional(),
  })
  .strict();

function runIdOf(req: express.Request): string {
  const { runId } = req.params;
  if (!RUN_ID.test(runId)) {
    throw new InputError(`Invalid run id '${runId.slice(0, 80)}'`);
  }
  return runId;
}

/**
 * The runs API (`/api/dagster/v1/...`): every route authenticates the caller and authorizes each
 * run operation in the run's or product's tenant through the one authorization path
 * (`TenancyService`: tenant roles, API tokens, tenant status and the permission policy; see
 * `RunsService`).
 */
export async function createRouter(options: {
  tenancy: TenancyService;
  runs: RunsService;
  audit: RunAuditStore;
}): Promise<express.Router> {
  const { tenancy, runs, audit } = options;
  const router = Router();
  const json = express.json({ limit: '256kb' });

  router.get('/v1/products/:namespace/:name/runs', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const { namespace, name } = req.params;
    const query = parseRequest(productRunsQuerySchema, req.query, 'query');
    const target = await runs.productTarget(identity, namespace, name, 'read');
    res.json(
      await runs.listProductRuns(target, {
        statuses: query.status,
        createdAfter: query.createdAfter,
        createdBefore: query.createdBefore,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  });

  router.post('/v1/products/:namespace/:name/runs', json, async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const { namespace, name } = req.params;
    const body = parseRequest(launchSchema, req.body, 'body');
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
    res.json(await runs.getRun(identity, runIdOf(req)));
  });

  router.get('/v1/runs/:runId/logs', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const runId = runIdOf(req);
    const query = parseRequest(logsQuerySchema, req.query, 'query');
    res.json(
      await runs.getRunLogs(identity, runId, {
        cursor: query.cursor,
        limit: query.limit,
        levels: query.levels,
      }),
    );
  });

  router.post('/v1/runs/:runId/reexecute', json, async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const runId = runIdOf(req);
    const body = parseRequest(reexecuteSchema, req.body, 'body');
    res.status(201).json(await runs.reexecute(identity, runId, body));
  });

  router.post('/v1/runs/:runId/terminate', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    res.json(await runs.terminate(identity, runIdOf(req)));
  });

  router.get('/v1/tenants/:tenant/runs', async (req, res) => {
    const identity = await tenancy.authenticate(req);
    const { tenant } = req.params;
    const query = parseRequest(tenantRunsQuerySchema, req.query, 'query');
    res.json(
      await runs.listTenantRuns(identity, tenant, {
        statuses: query.status,
        createdAfter: query.createdAfter,
        createdBefore: query.createdBefore,
        job: query.job,
        product: query.product,
        limit: query.limit,
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
    const query = parseRequest(auditQuerySchema, req.query, 'query');
    res.json(
      await audit.list(tenant, { limit: query.limit, before: query.cursor }),
    );
  });

  return router;
}
