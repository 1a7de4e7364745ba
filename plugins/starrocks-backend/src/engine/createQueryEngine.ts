import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  backtickQuoter,
  doubleQuoteQuoter,
  IdentifierQuoter,
} from '@akili/plugin-starrocks-common';
import { AgreementsSource } from '../agreements/AgreementsClient';
import { StarrocksConfig } from '../config';
import { agreedPortsOf, readablePortsOf } from '../service/readableTables';
import { EmbeddedQueryEngine } from './embedded/EmbeddedQueryEngine';
import { EmbeddedTable } from './embedded/exampleData';
import { productTablesOf } from './embedded/productTables';
import { QueryEngine } from './QueryEngine';
import { QueryRunner } from './QueryRunner';
import { TenantPools } from './TenantPools';

/**
 * The engine `starrocks.engine` names, and how statements for it quote identifiers:
 * `QueryRunner` on per-tenant StarRocks pools (backticks), or the embedded DuckDB engine of
 * `make dev` (double quotes), whose tenant databases hold the `table` output ports of the
 * tenant's data products as the catalog has them, read with the plugin's own credentials and
 * only in the tenant's namespace; with `agreements`, also the agreed columns of other tenants'
 * tables under agreements in force (the lake backend down: the tenant's own only).
 */
export function createQueryEngine(options: {
  config: StarrocksConfig;
  logger: LoggerService;
  catalog: CatalogService;
  auth: AuthService;
  agreements?: AgreementsSource;
}): { engine: QueryEngine; quoteIdentifier: IdentifierQuoter } {
  const { config, logger, catalog, auth, agreements } = options;
  const agreedTables = async (tenant: string): Promise<EmbeddedTable[]> => {
    if (!agreements) return [];
    const inForce = await agreements.inForce(tenant).catch(() => []);
    if (inForce.length === 0) return [];
    const credentials = await auth.getOwnServiceCredentials();
    const own = await readablePortsOf(catalog, tenant, credentials);
    const ports = await agreedPortsOf(
      catalog,
      tenant,
      inForce,
      credentials,
      own,
    );
    return ports.map(p => ({
      catalog: p.table.catalog || config.defaultCatalog,
      database: p.table.database,
      table: p.table.table,
      columns: (p.port.schema ?? []).filter(c =>
        p.agreement!.columns.includes(c.name),
      ),
    }));
  };
  if (config.engine === 'embedded') {
    logger.info('Query API on the embedded engine (DuckDB, example data)', {
      rowsPerTable: config.embedded.rowsPerTable,
      defaultCatalog: config.defaultCatalog,
    });
    return {
      engine: new EmbeddedQueryEngine({
        config,
        logger,
        tables: async tenant => [
          ...(await productTablesOf(
            catalog,
            tenant,
            await auth.getOwnServiceCredentials(),
            config.defaultCatalog,
          )),
          ...(await agreedTables(tenant)),
        ],
      }),
      quoteIdentifier: doubleQuoteQuoter,
    };
  }
  logger.info('Query API on StarRocks', {
    dialect: config.dialect,
    tenants: Object.keys(config.tenants).join(', ') || '(none)',
  });
  return {
    engine: new QueryRunner({
      pools: new TenantPools(config, { logger }),
      config,
      logger,
    }),
    quoteIdentifier: backtickQuoter,
  };
}
