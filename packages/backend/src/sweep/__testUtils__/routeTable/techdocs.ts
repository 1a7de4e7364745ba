import type { SweepFixture } from '../fixtures';
import { RouteEntry } from './types';

/*
 * TechDocs (@backstage/plugin-techdocs-backend). Each route loads the entity from the catalog
 * with the caller's credentials first, so the catalog's tenant policy decides: another tenant's
 * product answers the 404 of a missing one. The sweep's fixture product has no
 * backstage.io/techdocs-ref and no built docs, so only the sync route reads it through (200,
 * its build error in the event stream); the others answer the caller's own product 404 after
 * the entity was read, as for any entity without docs.
 */

const product = (t: SweepFixture) => ({
  namespace: t.tenant,
  kind: 'dataproduct',
  name: t.product,
});
const noDocs =
  'the fixture product has no backstage.io/techdocs-ref and no built docs: read, then not found';
const staticPage =
  '/api/techdocs/static/docs/:namespace/:kind/:name/index.html';

export const TECHDOCS_ROUTES: Record<string, RouteEntry> = {
  'GET /api/techdocs/metadata/techdocs/:namespace/:kind/:name': {
    params: product,
    own: 404,
    why: noDocs,
  },
  'GET /api/techdocs/metadata/entity/:namespace/:kind/:name': {
    params: product,
    own: 404,
    why: noDocs,
  },
  'GET /api/techdocs/sync/:namespace/:kind/:name': {
    params: product,
    own: 200,
    why: 'an event stream: the build error (no techdocs-ref) is an event, after the entity was read',
  },
  // With permission.enabled: reads the entity with the caller's credentials (cookie allowed),
  // then passes on to the publisher's files.
  'USE /api/techdocs/static/docs/:namespace/:kind/:name <anonymous>': {
    method: 'GET',
    path: staticPage,
    params: product,
    own: 404,
    why: noDocs,
  },
  // The local publisher's files, behind the check above: its path-casing redirect, then the
  // files of the built docs.
  'USE /api/techdocs/static/docs <anonymous>': {
    method: 'GET',
    path: staticPage,
    params: product,
    own: 404,
    why: noDocs,
  },
  'USE /api/techdocs/static/docs serveStatic': {
    method: 'GET',
    path: staticPage,
    params: product,
    own: 404,
    why: noDocs,
  },
};
