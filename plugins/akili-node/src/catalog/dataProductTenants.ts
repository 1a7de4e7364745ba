import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The tenants that have data products in the catalog (the namespaces of its `DataProduct`
 * entities), read with the calling plugin's own credentials: for background work that goes
 * over every tenant (trackers, watches). One facets query, no entities loaded.
 *
 * @public
 */
export async function listDataProductTenants(deps: {
  catalog: CatalogService;
  auth: AuthService;
}): Promise<string[]> {
  const credentials = await deps.auth.getOwnServiceCredentials();
  const { facets } = await deps.catalog.getEntityFacets(
    { facets: ['metadata.namespace'], filter: { kind: 'DataProduct' } },
    { credentials },
  );
  return (facets['metadata.namespace'] ?? []).map(facet => facet.value);
}
