import { NotFoundError } from '@backstage/errors';
import { TenancyService } from '@akili/plugin-akili-node';
import {
  akiliPlatformHealthStatusReadPermission,
  isPlatformDependencyId,
  PLATFORM_HEALTH_RETENTION_HOURS,
  PlatformDependenciesResponse,
  PlatformDependencyHistoryResponse,
  PlatformStatusResponse,
} from '@akili/plugin-platform-health-common';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { authorizePlatformHealthRead } from './authorize';
import { PlatformHealthService } from './PlatformHealthService';

/**
 * The routes of `/api/platform-health/v1`, as `src/schema/openapi.yaml` describes them: each
 * request is validated against the spec first, and the spec is served at `/openapi.json`.
 */
export async function createRouter(options: {
  tenancy: TenancyService;
  health: PlatformHealthService;
  frequencyMs: number;
}): Promise<express.Router> {
  const { tenancy, health, frequencyMs } = options;
  const router = await createOpenApiRouter();

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
    // The spec bounds it (1 to PLATFORM_HEALTH_RETENTION_HOURS); the validator has checked it.
    const hours = req.query.hours ?? PLATFORM_HEALTH_RETENTION_HOURS;
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
