import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  backtickQuoter,
  doubleQuoteQuoter,
  IdentifierQuoter,
} from '@akili/plugin-starrocks-common';
import { StarrocksConfig } from '../config';
import { EmbeddedQueryEngine } from './embedded/EmbeddedQueryEngine';
import { productTablesOf } from './embedded/productTables';
import { QueryEngine } from './QueryEngine';
import { QueryRunner } from './QueryRunner';
import { TenantPools } from './TenantPools';

/**
 * The engine `starrocks.engine` names, and how statements for it quote identifiers:
 * `QueryRunner` on per-tenant StarRocks pools (backticks), or the embedded DuckDB engine of
 * `make dev` (double quotes), whose tenant databases hold the `table` output ports of the
 * tenant's data products as the catalog has them, read with the plugin's own credentials and
 * only in the tenant's namespace.
 */
export function createQueryEngine(options: {
  config: StarrocksConfig;
  logger: LoggerService;
  catalog: CatalogService;
  auth: AuthService;
}): { engine: QueryEngine; quoteIdentifier: IdentifierQuoter } {
  const { config, logger, catalog, auth } = options;
  if (config.engine === 'embedded') {
    logger.info('Query API on the embedded engine (DuckDB, example data)', {
      rowsPerTable: config.embedded.rowsPerTable,
      defaultCatalog: config.defaultCatalog,
    });
    return {
      engine: new EmbeddedQueryEngine({
        config,
        logger,
        tables: async tenant =>
          productTablesOf(
            catalog,
            tenant,
            await auth.getOwnServiceCredentials(),
            config.defaultCatalog,
          ),
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
