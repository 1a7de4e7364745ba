import { SweepFixture } from '../fixtures';
import { RouteEntry, json } from './types';

const tenantParam = (t: SweepFixture) => ({ tenant: t.tenant });
const productParams = (t: SweepFixture) => ({
  namespace: t.tenant,
  name: t.product,
});

/** No sweep fixture opens an incident: an incident id that exists in no tenant. */
const incidentParams = (t: SweepFixture) => ({
  tenant: t.tenant,
  id: '987654321',
});
const noIncident = {
  own: 404,
  consumer: 403,
  why: 'the sweep fixtures open no incident (the life cycle is proved in quality-backend src/incidents/router.test.ts); consumers neither see nor work incidents',
};
const incidentReaders = {
  consumer: 403,
  why: "a tenant's incidents and dashboard are for its developers and operators",
};

/** The quality plugin's routes (`quality`): results, scores, the dashboard and incidents. */
export const QUALITY_ROUTES: Record<string, RouteEntry> = {
  // Its JSON body parser (body-parser's, 8 MB for a report and 64 KB otherwise), in front of the
  // OpenAPI validator.
  'USE /api/quality qualityJsonBodies': {
    passThrough:
      'parses JSON bodies (8 MB for a report of results, 64 KB otherwise); errors go to the error handler',
  },
  // The plugin's OpenAPI spec: the same for everyone signed in.
  'GET /api/quality/openapi.json': { own: 200 },
  'GET /api/quality/v1/products/:namespace/:name/summary': {
    params: productParams,
    own: 200,
  },
  'GET /api/quality/v1/products/:namespace/:name/trend': {
    params: productParams,
    query: () => ({ days: '30' }),
    own: 200,
  },
  'GET /api/quality/v1/products/:namespace/:name/results': {
    params: productParams,
    own: 200,
  },
  'POST /api/quality/v1/products/:namespace/:name/results': {
    params: productParams,
    body: () =>
      json({
        tool: 'sweep',
        results: [
          {
            executionId: 'sweep-1',
            rule: 'sweep_check',
            outcome: 'pass',
            observedAt: '2026-01-01T00:00:00Z',
          },
        ],
      }),
    own: 201,
    consumer: 403,
    why: 'reporting check results is for developers, operators and API tokens',
  },
  'GET /api/quality/v1/tenants/:tenant/scores': {
    params: tenantParam,
    own: 200,
  },
  'GET /api/quality/v1/tenants/:tenant/dashboard': {
    params: tenantParam,
    own: 200,
    ...incidentReaders,
  },
  'GET /api/quality/v1/products/:namespace/:name/incidents': {
    params: productParams,
    own: 200,
  },
  'GET /api/quality/v1/tenants/:tenant/incidents': {
    params: tenantParam,
    own: 200,
    ...incidentReaders,
  },
  'GET /api/quality/v1/tenants/:tenant/incidents/:id': {
    params: incidentParams,
    ...noIncident,
  },
  'POST /api/quality/v1/tenants/:tenant/incidents/:id/acknowledge': {
    params: incidentParams,
    body: () => json({}),
    ...noIncident,
  },
  'POST /api/quality/v1/tenants/:tenant/incidents/:id/assign': {
    params: incidentParams,
    body: () => json({ assignee: 'user:default/nobody' }),
    ...noIncident,
  },
  'POST /api/quality/v1/tenants/:tenant/incidents/:id/resolve': {
    params: incidentParams,
    body: () => json({ reason: 'other', comment: 'sweep' }),
    ...noIncident,
  },
  'POST /api/quality/v1/tenants/:tenant/incidents/:id/comments': {
    params: incidentParams,
    body: () => json({ comment: 'sweep' }),
    ...noIncident,
  },
};
