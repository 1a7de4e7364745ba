import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { AccessAgreement } from '@akili/plugin-lake-common';
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
  /**
   * Set for another tenant's port read under access agreements in force: only these columns
   * may be read (the union of the agreements' columns), and which agreements.
   */
  agreement?: { ids: string[]; columns: string[] };
}

const tableKey = (t: ReadablePort['table']) =>
  [t.catalog ?? '', t.database, t.table].join('\u0000');

const PRODUCT_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.outputPorts',
  'spec.quality',
];

/** The table ports of one data product entity. */
function tablePortsOf(entity: {
  metadata: { namespace?: string };
}): ReadablePort[] {
  const { spec, metadata } = entity as unknown as DataProductManifest;
  const outputPorts = spec?.outputPorts ?? [];
  const quality = spec?.quality ?? [];
  const ports: ReadablePort[] = [];
  for (const port of outputPorts) {
    const table = port.location?.table;
    if (!table?.database || !table.table) continue;
    ports.push({
      entityRef: stringifyEntityRef(entity as any),
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
  return ports;
}

/**
 * The output ports a tenant may query of its own: those of its own data products whose location
 * is a table, as the catalog holds them (the manifests came from the tenant's own sources), with
 * their columns, contract and quality rules. Other tenants' ports: {@link agreedPortsOf}.
 */
export async function readablePortsOf(
  catalog: CatalogService,
  tenant: string,
  credentials: BackstageCredentials,
): Promise<ReadablePort[]> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'dataproduct', 'metadata.namespace': tenant },
      fields: PRODUCT_FIELDS,
    },
    { credentials },
  );
  // The catalog's filter is case-insensitive; the tenant's namespace is exact.
  return items
    .filter(entity => entity.metadata.namespace === tenant)
    .flatMap(tablePortsOf);
}

/**
 * The ports of other tenants' products that `tenant` may read under the access agreements in
 * force (all of them with `consumer.tenant === tenant`), read from the catalog with
 * `credentials` (the plugin's own: the caller cannot read another tenant's entities): one per
 * port, with the union of the agreed columns the port declares. An agreement whose provider tenant is not its
 * product's namespace, whose port is not a table, or which names a table of the tenant's own
 * (`own`) is left out.
 */
export async function agreedPortsOf(
  catalog: CatalogService,
  tenant: string,
  agreements: ReadonlyArray<AccessAgreement>,
  credentials: BackstageCredentials,
  own: ReadonlyArray<ReadablePort> = [],
): Promise<ReadablePort[]> {
  const byPort = new Map<string, { ids: string[]; columns: Set<string> }>();
  for (const a of agreements) {
    if (a.consumer.tenant !== tenant || a.provider.tenant === tenant) continue;
    let ref;
    try {
      ref = parseEntityRef(a.provider.product);
    } catch {
      continue;
    }
    if (
      ref.kind.toLocaleLowerCase('en-US') !== 'dataproduct' ||
      ref.namespace !== a.provider.tenant
    ) {
      continue;
    }
    const k = `${stringifyEntityRef(ref)}\u0000${a.provider.port}`;
    const entry = byPort.get(k) ?? { ids: [], columns: new Set<string>() };
    entry.ids.push(a.id);
    for (const column of a.columns) entry.columns.add(column);
    byPort.set(k, entry);
  }
  if (byPort.size === 0) return [];
  const refs = [...new Set([...byPort.keys()].map(k => k.split('\u0000')[0]))];
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs, fields: PRODUCT_FIELDS },
    { credentials },
  );
  const ownTables = new Set(own.map(p => tableKey(p.table)));
  const ports: ReadablePort[] = [];
  for (const entity of items) {
    if (!entity) continue;
    for (const port of tablePortsOf(entity)) {
      const agreed = byPort.get(`${port.entityRef}\u0000${port.port.name}`);
      if (!agreed) continue;
      if (ownTables.has(tableKey(port.table))) continue;
      // Only columns the port declares (names as declared): an undeclared one has no
      // classification to mask by, so it is not shared.
      const lower = new Set([...agreed.columns].map(c => c.toLowerCase()));
      const columns = (port.port.schema ?? [])
        .map(c => c.name)
        .filter(name => lower.has(name.toLowerCase()));
      if (columns.length === 0) continue;
      ports.push({ ...port, agreement: { ids: agreed.ids, columns } });
    }
  }
  return ports;
}

/** The guard's and the masking's view of the ports: each table with its declared columns. */
export function maskableTablesOf(
  ports: ReadonlyArray<ReadablePort>,
): MaskableTable[] {
  return ports.map(p => {
    const declared = (p.port.schema ?? []).map(column => ({
      name: column.name,
      classification: column.classification,
    }));
    if (!p.agreement) return { ...p.table, columns: declared };
    // Only the agreed columns, with their classifications (masked on top).
    const agreed = new Set(p.agreement.columns);
    return {
      ...p.table,
      columns: declared.filter(c => agreed.has(c.name)),
      onlyDeclared: true,
    };
  });
}
