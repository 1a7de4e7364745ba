import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DataProductManifest } from '@akili/plugin-akili-common';
import { EmbeddedTable } from './exampleData';

/**
 * The tables of a tenant's data products as the catalog holds them: every output port with a
 * `table` location, with its schema. The same source the SQL guard's readable tables come
 * from, so the embedded engine has exactly the tables the guard lets the tenant name; only
 * entities of the tenant's own namespace are read, whatever the credentials could see.
 */
export async function productTablesOf(
  catalog: CatalogService,
  tenant: string,
  credentials: BackstageCredentials,
  defaultCatalog: string,
): Promise<EmbeddedTable[]> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'dataproduct', 'metadata.namespace': tenant },
      fields: ['metadata.namespace', 'metadata.name', 'spec.outputPorts'],
    },
    { credentials },
  );
  const tables: EmbeddedTable[] = [];
  for (const entity of items) {
    // The catalog's filter is case-insensitive; the tenant's namespace is exact.
    if (entity.metadata.namespace !== tenant) continue;
    const ports =
      (entity as unknown as DataProductManifest).spec?.outputPorts ?? [];
    for (const port of ports) {
      const table = port.location?.table;
      if (table?.database && table.table) {
        tables.push({
          catalog: table.catalog || defaultCatalog,
          database: table.database,
          table: table.table,
          columns: Array.isArray(port.schema) ? port.schema : [],
        });
      }
    }
  }
  return tables;
}
