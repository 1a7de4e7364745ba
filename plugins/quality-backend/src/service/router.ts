import express from 'express';
import Router from 'express-promise-router';
import {
  cursorParam,
  limitParam,
  parseRequest,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  akiliQualityIncidentsReadPermission,
  akiliQualityReadPermission,
  MAX_RESULTS_PER_REPORT,
  QUALITY_DIMENSIONS,
  QUALITY_OUTCOMES,
  QualityDimension,
  QualityOutcome,
} from '@akili/plugin-quality-common';
import { z } from 'zod';
import { MAX_CLOCK_SKEW_MS, QualityStore } from './QualityStore';
import { QualityService } from './QualityService';

const oneOf = <T extends string>(values: readonly T[]) =>
  z.enum(values as [T, ...T[]], {
    errorMap: () => ({ message: `must be one of ${values.join(', ')}` }),
  });

const text = (max: number) =>
  z
    .string({
      required_error: 'is required',
      invalid_type_error: 'must be a string',
    })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

const observedAt = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a string',
  })
  .refine(
    value =>
      /^\d{4}-\d{2}-\d{2}T/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    'must be an ISO 8601 time',
  )
  .refine(
    value => Date.parse(value) <= Date.now() + MAX_CLOCK_SKEW_MS,
    'must not be more than 5 minutes in the future',
  );

const resultSchema = z
  .object({
    executionId: text(200),
    rule: text(255),
    port: text(255).optional(),
    dimension: oneOf<QualityDimension>(QUALITY_DIMENSIONS).optional(),
    outcome: oneOf<QualityOutcome>(QUALITY_OUTCOMES),
    observedValue: z
      .union([z.number(), z.string().max(4096), z.boolean(), z.null()], {
        errorMap: () => ({
          message:
            'must be a number, a string (at most 4096), a boolean or null',
        }),
      })
      .optional(),
    threshold: text(255).optional(),
    runId: text(255).optional(),
    partition: text(255).optional(),
    observedAt,
    message: z.string().max(4096, 'must be at most 4096 characters').optional(),
  })
  .strict();

const reportSchema = z
  .object({
    tool: z
      .string({ required_error: 'is required' })
      .regex(
        /^[a-z0-9][a-z0-9._-]{0,62}$/,
        'must be a tool name (lowercase letters, digits, . _ -, at most 63)',
      ),
    results: z
      .array(resultSchema, {
        required_error: 'is required',
        invalid_type_error: 'must be an array',
      })
      .min(1, 'must hold at least one result')
      .max(
        MAX_RESULTS_PER_REPORT,
        `must hold at most ${MAX_RESULTS_PER_REPORT} results`,
      ),
  })
  .strict();

const daysSchema = (allowed: readonly number[], fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const days = Number(value);
      if (!allowed.includes(days)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be one of ${allowed.join(', ')}`,
        });
        return z.NEVER;
      }
      return days;
    });

const trendQuerySchema = z.object({ days: daysSchema([30, 90], 30) }).strict();

const dashboardQuerySchema = z
  .object({ days: daysSchema([7, 30, 90], 30) })
  .strict();

const resultsQuerySchema = z
  .object({
    rule: text(255).optional(),
    limit: limitParam(200, 50),
    cursor: cursorParam(/^\d{1,15}_\d{1,18}$/),
  })
  .strict();

const emptyQuerySchema = z.object({}).strict();

/**
 * The quality API (`/api/quality/v1/...`) but incidents (see `createIncidentsRouter`): every
 * route authorizes the caller in the tenant it asks about through the one authorization path
 * (`TenancyService`), and a product of another tenant answers exactly as a missing one.
 */
export async function createRouter(options: {
  tenancy: TenancyService;
  quality: QualityService;
  store: QualityStore;
}): Promise<express.Router> {
  const { tenancy, quality, store } = options;
  const router = Router();
  // 1000 results with messages of up to 4 KiB.
  const json = express.json({ limit: '8mb' });

  router.get('/v1/products/:namespace/:name/summary', async (req, res) => {
    const { namespace, name } = req.params;
    parseRequest(emptyQuerySchema, req.query, 'query');
    res.json(await quality.summary(req, namespace, name));
  });

  router.get('/v1/products/:namespace/:name/trend', async (req, res) => {
    const { namespace, name } = req.params;
    const query = parseRequest(trendQuerySchema, req.query, 'query');
    const target = await quality.productTarget(
      req,
      namespace,
      name,
      akiliQualityReadPermission,
    );
    res.json({
      product: target.ref,
      days: await store.trend(target.tenant, target.name, query.days),
    });
  });

  router.get('/v1/products/:namespace/:name/results', async (req, res) => {
    const { namespace, name } = req.params;
    const query = parseRequest(resultsQuerySchema, req.query, 'query');
    const target = await quality.productTarget(
      req,
      namespace,
      name,
      akiliQualityReadPermission,
    );
    res.json(
      await store.results(target.tenant, target.name, {
        rule: query.rule,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  });

  router.post(
    '/v1/products/:namespace/:name/results',
    json,
    async (req, res) => {
      const { namespace, name } = req.params;
      const body = parseRequest(reportSchema, req.body, 'body');
      res.status(201).json(await quality.report(req, namespace, name, body));
    },
  );

  router.get('/v1/tenants/:tenant/scores', async (req, res) => {
    parseRequest(emptyQuerySchema, req.query, 'query');
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQualityReadPermission,
    });
    res.json(await store.scores(tenant));
  });

  router.get('/v1/tenants/:tenant/dashboard', async (req, res) => {
    const query = parseRequest(dashboardQuerySchema, req.query, 'query');
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliQualityIncidentsReadPermission,
    });
    res.json(await store.dashboard(tenant, query.days));
  });

  return router;
}
