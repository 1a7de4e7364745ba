import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DataProductManifest } from '@akili/plugin-akili-common';
import { ReadableTable } from '@akili/plugin-starrocks-common';

/**
 * The tables a tenant may query: the `table` locations of its own data products' output ports,
 * as the catalog holds them (the manifests came from the tenant's own sources). Products of other
 * tenants are not read here; access agreements between tenants come later.
 */
export async function readableTablesOf(
  catalog: CatalogService,
  tenant: string,
  credentials: BackstageCredentials,
): Promise<ReadableTable[]> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'dataproduct', 'metadata.namespace': tenant },
      fields: ['metadata.namespace', 'spec.outputPorts'],
    },
    { credentials },
  );
  const tables: ReadableTable[] = [];
  for (const entity of items) {
    // The catalog's filter is case-insensitive; the tenant's namespace is exact.
    if (entity.metadata.namespace !== tenant) continue;
    const ports =
      (entity as unknown as DataProductManifest).spec?.outputPorts ?? [];
    for (const port of ports) {
      const table = port.location?.table;
      if (table?.database && table.table) {
        tables.push({
          catalog: table.catalog,
          database: table.database,
          table: table.table,
        });
      }
    }
  }
  return tables;
}
