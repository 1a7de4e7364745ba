import { SweepFixture } from '../fixtures';
import { entityReadingSecretOf, invokeCases } from './actions';
import { RouteEntry, json } from './types';

const productRef = (t: SweepFixture) => `dataproduct:${t.tenant}/${t.product}`;
const inTenant = (t: SweepFixture) => ({
  filter: `metadata.namespace=${t.tenant}`,
});
const validators = {
  consumer: 403,
  why: 'validating entities is for developers and operators',
  missingStatus: {
    status: 400,
    why: 'validate-entity answers a file it may not or cannot read with its processing error (400)',
  },
};
const catalogInfoUrl = (t: SweepFixture) =>
  `${t.gitlabProject}/-/blob/main/catalog-info.yaml`;

const adminsOnly = {
  own: 404,
  why: 'locations are for platform admins: to others they do not exist',
};

/** The catalog's routes (@backstage/plugin-catalog-backend and its modules). */
export const CATALOG_ROUTES: Record<string, RouteEntry> = {
  'USE /api/catalog <anonymous>': {
    passThrough:
      "the Akili guard module's middleware: keeps the caller for its placeholder and location checks",
  },
  'GET /api/catalog/openapi.json': { own: 200 },
  'POST /api/catalog/.backstage/actions/v1/actions/:actionId/invoke': {
    cases: invokeCases('catalog', 1),
  },
  'POST /api/catalog/.backstage/actions/v2/actions/:actionId/invoke': {
    cases: invokeCases('catalog', 2),
  },

  'POST /api/catalog/refresh': {
    body: t => json({ entityRef: productRef(t) }),
    own: 200,
    consumer: 403,
    why: 'refreshing entities is for operators of their namespace',
  },
  'GET /api/catalog/entities': {
    cases: [
      { name: 'all', own: 200 },
      { name: 'of the tenant', query: inTenant, own: 200 },
    ],
  },
  'GET /api/catalog/entities/by-query': {
    cases: [
      { name: 'all', query: () => ({ limit: '500' }), own: 200 },
      { name: 'of the tenant', query: inTenant, own: 200 },
      {
        name: 'full text',
        query: t => ({ fullTextFilterTerm: t.product }),
        own: 200,
      },
    ],
  },
  'POST /api/catalog/entities/by-query': {
    body: t => json({ query: { 'metadata.namespace': t.tenant } }),
    own: 200,
  },
  'GET /api/catalog/entities/by-uid/:uid': {
    params: t => ({ uid: t.productUid }),
    own: 200,
  },
  'DELETE /api/catalog/entities/by-uid/:uid': {
    params: t => ({ uid: t.componentUid }),
    own: 204,
    consumer: 403,
    why: 'deleting entities is for operators of their namespace',
    destructive: true,
  },
  'GET /api/catalog/entities/by-name/:kind/:namespace/:name': {
    params: t => ({
      kind: 'dataproduct',
      namespace: t.tenant,
      name: t.product,
    }),
    own: 200,
  },
  'GET /api/catalog/entities/by-name/:kind/:namespace/:name/ancestry': {
    params: t => ({
      kind: 'dataproduct',
      namespace: t.tenant,
      name: t.product,
    }),
    own: 200,
  },
  'POST /api/catalog/entities/by-refs': {
    body: t =>
      json({
        entityRefs: [productRef(t), `component:${t.tenant}/${t.componentName}`],
      }),
    own: 200,
  },
  'GET /api/catalog/entity-facets': {
    cases: [
      {
        name: 'namespaces',
        query: () => ({ facet: 'metadata.namespace' }),
        own: 200,
      },
      {
        name: 'of the tenant',
        query: t => ({ facet: 'spec.type', ...inTenant(t) }),
        own: 200,
      },
    ],
  },
  'POST /api/catalog/entity-facets': {
    body: t =>
      json({
        facets: ['metadata.name'],
        query: { 'metadata.namespace': t.tenant },
      }),
    own: 200,
  },

  // Locations: registered by platform admins (the sweep registers one per tenant, its GitLab
  // project's catalog-info.yaml); reading them must stay within the tenant.
  'POST /api/catalog/locations': {
    cases: [
      {
        name: 'register',
        body: t => json({ type: 'url', target: catalogInfoUrl(t) }),
        own: 403,
        why: 'registering locations is for platform admins',
        destructive: true,
      },
      {
        name: 'dry run',
        query: () => ({ dryRun: 'true' }),
        body: t => json({ type: 'url', target: catalogInfoUrl(t) }),
        own: 403,
        why: 'registering locations (dry runs too) is for platform admins',
      },
    ],
  },
  'GET /api/catalog/locations': { own: 200 },
  'POST /api/catalog/locations/by-query': {
    body: t => json({ query: { target: catalogInfoUrl(t) } }),
    own: 200,
  },
  'GET /api/catalog/locations/:id': {
    params: t => ({ id: t.locationId }),
    ...adminsOnly,
  },
  'PUT /api/catalog/locations/:id': {
    params: t => ({ id: t.locationId }),
    body: t => json({ type: 'url', target: catalogInfoUrl(t) }),
    own: 403,
    why: 'changing locations is for platform admins',
    destructive: true,
  },
  'DELETE /api/catalog/locations/:id': {
    params: t => ({ id: t.locationId }),
    own: 403,
    why: 'removing locations is for platform admins',
    destructive: true,
  },
  'GET /api/catalog/locations/by-entity/:kind/:namespace/:name': {
    params: t => ({
      kind: 'component',
      namespace: t.tenant,
      name: t.componentName,
    }),
    ...adminsOnly,
  },
  'POST /api/catalog/analyze-location': {
    body: t => json({ location: { type: 'url', target: catalogInfoUrl(t) } }),
    own: 403,
    why: 'analyzing locations is for platform admins (it reads through the platform GitLab token)',
  },
  'POST /api/catalog/validate-entity': {
    cases: [
      {
        name: 'placeholder read from the tenant repository',
        body: t =>
          json({
            location: `url:${catalogInfoUrl(t)}`,
            entity: entityReadingSecretOf(t),
          }),
        own: 200,
        ...validators,
      },
      {
        name: 'placeholder error echoing the file',
        body: t =>
          json({
            location: `url:${catalogInfoUrl(t)}`,
            entity: {
              ...entityReadingSecretOf(t),
              spec: { $json: './secret.txt' },
            },
          }),
        own: 400,
        consumer: 403,
        why: 'the private file is not JSON: the entity is invalid; validating is for developers and operators',
        missingStatus: validators.missingStatus,
      },
    ],
  },
};
