import { SweepFixture } from '../fixtures';
import { RouteEntry, json } from './types';

const tenantParam = (t: SweepFixture) => ({ tenant: t.tenant });
const productParams = (t: SweepFixture) => ({
  namespace: t.tenant,
  name: t.product,
});

/** The ArgoCD plugin's routes (`argocd`): a product's deployment, drift, syncs and their audit. */
export const ARGOCD_ROUTES: Record<string, RouteEntry> = {
  // The plugin's OpenAPI spec: the same for everyone signed in.
  'GET /api/argocd/openapi.json': { own: 200 },
  'GET /api/argocd/v1/products/:namespace/:name/deployment': {
    params: productParams,
    own: 200,
  },
  'GET /api/argocd/v1/products/:namespace/:name/deployment/drift': {
    params: productParams,
    own: 200,
  },
  'POST /api/argocd/v1/products/:namespace/:name/deployment/sync': {
    params: productParams,
    body: () => json({}),
    own: 202,
    consumer: 403,
    destructive: true,
    why: 'starting a sync is for operators (audited); while one runs a second is a 409',
  },
  'GET /api/argocd/v1/tenants/:tenant/deployment-audit': {
    params: tenantParam,
    own: 200,
    consumer: 403,
    why: "a tenant's sync audit is for its operators",
  },
};
