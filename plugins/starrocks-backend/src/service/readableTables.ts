import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DataProductManifest,
  OutputPort,
  QualityRule,
} from '@akili/plugin-akili-common';
import { MaskableTable } from '@akili/plugin-starrocks-common';

/** One output port of a tenant's data product whose location is a table. */
export interface ReadablePort {
  /** The product's entity ref, `dataproduct:<tenant>/<name>`. */
  entityRef: string;
  productTitle?: string;
  port: OutputPort;
  /** The port's table location. */
  table: { catalog?: string; database: string; table: string };
  /** The product's quality rules on this port (all of them when the product has one port). */
  rules: QualityRule[];
}

/**
 * The output ports a tenant may query: those of its own data products whose location is a
 * table, as the catalog holds them (the manifests came from the tenant's own sources), with their
 * columns, contract and quality rules. Products of other tenants are not read here; access
 * agreements between tenants come later.
 */
export async function readablePortsOf(
  catalog: CatalogService,
  tenant: string,
  credentials: BackstageCredentials,
): Promise<ReadablePort[]> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'dataproduct', 'metadata.namespace': tenant },
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.title',
        'spec.outputPorts',
        'spec.quality',
      ],
    },
    { credentials },
  );
  const ports: ReadablePort[] = [];
  for (const entity of items) {
    // The catalog's filter is case-insensitive; the tenant's namespace is exact.
    if (entity.metadata.namespace !== tenant) continue;
    const { spec, metadata } = entity as unknown as DataProductManifest;
    const outputPorts = spec?.outputPorts ?? [];
    const quality = spec?.quality ?? [];
    for (const port of outputPorts) {
      const table = port.location?.table;
      if (!table?.database || !table.table) continue;
      ports.push({
        entityRef: stringifyEntityRef(entity),
        productTitle: metadata.title,
        port,
        table: {
          catalog: table.catalog,
          database: table.database,
          table: table.table,
        },
        rules: quality.filter(rule =>
          rule.port === undefined
            ? outputPorts.length === 1
            : rule.port === port.name,
        ),
      });
    }
  }
  return ports;
}

/** The guard's and the masking's view of the ports: each table with its declared columns. */
export function maskableTablesOf(
  ports: ReadonlyArray<ReadablePort>,
): MaskableTable[] {
  return ports.map(p => ({
    ...p.table,
    columns: (p.port.schema ?? []).map(column => ({
      name: column.name,
      classification: column.classification,
    })),
  }));
}
