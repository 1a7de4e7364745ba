import { Router } from 'express';
import { routerRoutes, routesAgainstSpec } from './openApiRoutes';

function exampleRouter() {
  const runs = Router();
  runs.get('/', (_req, res) => res.json([]));
  runs.post('/:runId/cancel', (_req, res) => res.json({}));
  const router = Router();
  router.get('/openapi.json', (_req, res) => res.json({}));
  router.get('/v1/status', (_req, res) => res.json({}));
  router.use('/v1/products/:product/runs', runs);
  return router;
}

describe('routesAgainstSpec', () => {
  it('reads routes of nested routers with their mount paths and parameters', () => {
    expect(routerRoutes(exampleRouter())).toEqual([
      'GET /openapi.json',
      'GET /v1/products/:product/runs',
      'GET /v1/status',
      'POST /v1/products/:product/runs/:runId/cancel',
    ]);
  });

  it('agrees with a spec that describes every route', () => {
    expect(
      routesAgainstSpec(exampleRouter(), {
        paths: {
          '/v1/status': { get: {} },
          '/v1/products/{product}/runs': { get: {} },
          '/v1/products/{product}/runs/{runId}/cancel': { post: {} },
        },
      }),
    ).toEqual({ undocumented: [], unmounted: [] });
  });

  it('names routes missing from the spec and operations no route answers', () => {
    expect(
      routesAgainstSpec(exampleRouter(), {
        paths: {
          '/v1/status': { get: {}, delete: {} },
          '/v1/products/{product}/runs': { get: {} },
        },
      }),
    ).toEqual({
      undocumented: ['POST /v1/products/:product/runs/:runId/cancel'],
      unmounted: ['DELETE /v1/status'],
    });
  });
});
