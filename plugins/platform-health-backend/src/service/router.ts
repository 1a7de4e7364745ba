import { NotFoundError } from '@backstage/errors';
import { parseRequest, TenancyService } from '@akili/plugin-akili-node';
import {
  akiliPlatformHealthStatusReadPermission,
  isPlatformDependencyId,
  PLATFORM_HEALTH_RETENTION_HOURS,
  PlatformDependenciesResponse,
  PlatformDependencyHistoryResponse,
  PlatformStatusResponse,
} from '@akili/plugin-platform-health-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { authorizePlatformHealthRead } from './authorize';
import { PlatformHealthService } from './PlatformHealthService';

const historyQuery = z
  .object({
    hours: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(
        PLATFORM_HEALTH_RETENTION_HOURS,
        `must be at most ${PLATFORM_HEALTH_RETENTION_HOURS}`,
      )
      .default(PLATFORM_HEALTH_RETENTION_HOURS),
  })
  .strict();

/** The routes of `/api/platform-health/v1`. */
export function createRouter(options: {
  tenancy: TenancyService;
  health: PlatformHealthService;
  frequencyMs: number;
}): express.Router {
  const { tenancy, health, frequencyMs } = options;
  const router = Router();
  router.use(express.json());

  router.get('/v1/dependencies', async (req, res) => {
    await authorizePlatformHealthRead(tenancy, req);
    const body: PlatformDependenciesResponse = {
      dependencies: await health.dependencies(),
      frequencyMs,
    };
    res.json(body);
  });

  // For every signed-in user: the status of the configured dependencies and since when, for
  // the pages that need them. Nothing else of the checks (errors name hosts and answers).
  router.get('/v1/status', async (req, res) => {
    await authorizePlatformHealthRead(
      tenancy,
      req,
      akiliPlatformHealthStatusReadPermission,
    );
    const body: PlatformStatusResponse = {
      dependencies: await health.statuses(),
    };
    res.json(body);
  });

  router.get('/v1/dependencies/:id/history', async (req, res) => {
    await authorizePlatformHealthRead(tenancy, req);
    const { id } = req.params;
    const { hours } = parseRequest(historyQuery, req.query, 'query');
    if (!isPlatformDependencyId(id)) {
      throw new NotFoundError(`No platform dependency '${id}'`);
    }
    const body: PlatformDependencyHistoryResponse = {
      id,
      hours,
      checks: await health.history(id, hours),
    };
    res.json(body);
  });

  return router;
}
