import { Config } from '@backstage/config';

/** The SQL dialects the query engine speaks. */
export type StarrocksDialectName = 'starrocks' | 'mariadb';

/**
 * What runs the queries: `mysql` (StarRocks or another MySQL-protocol server, per tenant from
 * `starrocks.tenants`) or `embedded` (DuckDB in the backend over generated example data, for
 * `make dev`).
 */
export type QueryEngineName = 'mysql' | 'embedded';

/** Default `starrocks.embedded.rowsPerTable`. */
export const DEFAULT_EMBEDDED_ROWS_PER_TABLE = 5000;

/** Default `starrocks.queryTimeoutSeconds`. */
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 30;
/** Default `starrocks.maxRows`. */
export const DEFAULT_MAX_ROWS = 10_000;
/** Default `starrocks.connectTimeoutSeconds`: a down server is an error within seconds. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
/** Default StarRocks FE MySQL port (`query_port`). */
export const DEFAULT_STARROCKS_PORT = 9030;
/** Default `starrocks.tenants.<tenant>.poolSize`. */
export const DEFAULT_POOL_SIZE = 10;

/** One tenant's read-only login (`starrocks.tenants.<tenant>`). */
export interface StarrocksTenantConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
  poolSize: number;
}

/** `starrocks.embedded`: the embedded engine of `make dev`. */
export interface EmbeddedEngineConfig {
  /** Generated rows in each example table. */
  rowsPerTable: number;
}

/** `starrocks` in app-config, checked and with defaults filled in. */
export interface StarrocksConfig {
  engine: QueryEngineName;
  dialect: StarrocksDialectName;
  /** The catalog the tenant users' connections start in; two-part names resolve in it. */
  defaultCatalog: string;
  queryTimeoutSeconds: number;
  maxRows: number;
  connectTimeoutSeconds: number;
  tenants: Record<string, StarrocksTenantConfig>;
  embedded: EmbeddedEngineConfig;
  /**
   * Run each user's query as the StarRocks user named like the user entity, inside the tenant
   * user's connection (`EXECUTE AS ... WITH NO REVERT`), so StarRocks' own audit names the person.
   */
  executeAsEndUser: boolean;
}

function readWholeNumber(
  config: Config | undefined,
  key: string,
  path: string,
  options: { min: number; max: number; fallback: number },
): number {
  const value = config?.getOptionalNumber(key) ?? options.fallback;
  if (!Number.isInteger(value) || value < options.min || value > options.max) {
    throw new Error(
      `${path} must be a whole number between ${options.min} and ${options.max}, not ${value}`,
    );
  }
  return value;
}

/**
 * Reads `starrocks` from app-config. Without the section there are no tenants and the defaults
 * apply; a bad value throws an error naming its key.
 */
export function readStarrocksConfig(root: Config): StarrocksConfig {
  const config = root.getOptionalConfig('starrocks');
  const engine = config?.getOptionalString('engine') ?? 'mysql';
  if (engine !== 'mysql' && engine !== 'embedded') {
    throw new Error(
      `starrocks.engine must be "mysql" or "embedded", not "${engine}"`,
    );
  }
  const dialect = config?.getOptionalString('dialect') ?? 'starrocks';
  if (dialect !== 'starrocks' && dialect !== 'mariadb') {
    throw new Error(
      `starrocks.dialect must be "starrocks" or "mariadb", not "${dialect}"`,
    );
  }
  const queryTimeoutSeconds = readWholeNumber(
    config,
    'queryTimeoutSeconds',
    'starrocks.queryTimeoutSeconds',
    { min: 1, max: 3600, fallback: DEFAULT_QUERY_TIMEOUT_SECONDS },
  );
  const maxRows = readWholeNumber(config, 'maxRows', 'starrocks.maxRows', {
    min: 1,
    max: 10_000_000,
    fallback: DEFAULT_MAX_ROWS,
  });
  const connectTimeoutSeconds = readWholeNumber(
    config,
    'connectTimeoutSeconds',
    'starrocks.connectTimeoutSeconds',
    { min: 1, max: 60, fallback: DEFAULT_CONNECT_TIMEOUT_SECONDS },
  );
  const tenants: Record<string, StarrocksTenantConfig> = {};
  const tenantsConfig = config?.getOptionalConfig('tenants');
  for (const tenant of tenantsConfig?.keys() ?? []) {
    const path = `starrocks.tenants.${tenant}`;
    const t = tenantsConfig!.getConfig(tenant);
    const required = (key: string): string => {
      const value = t.getOptionalString(key);
      if (value === undefined || (key !== 'password' && value.trim() === '')) {
        throw new Error(`${path}.${key} is required`);
      }
      return value;
    };
    tenants[tenant] = {
      host: required('host'),
      port: readWholeNumber(t, 'port', `${path}.port`, {
        min: 1,
        max: 65535,
        fallback: DEFAULT_STARROCKS_PORT,
      }),
      user: required('user'),
      password: required('password'),
      database: t.getOptionalString('database') || undefined,
      poolSize: readWholeNumber(t, 'poolSize', `${path}.poolSize`, {
        min: 1,
        max: 100,
        fallback: DEFAULT_POOL_SIZE,
      }),
    };
  }
  const defaultCatalog =
    config?.getOptionalString('defaultCatalog')?.trim() || 'default_catalog';
  const executeAsEndUser =
    config?.getOptionalBoolean('executeAsEndUser') ?? false;
  if (executeAsEndUser && (dialect !== 'starrocks' || engine !== 'mysql')) {
    throw new Error(
      'starrocks.executeAsEndUser needs StarRocks (engine mysql, dialect starrocks): MariaDB and the embedded engine have no EXECUTE AS',
    );
  }
  const rowsPerTable = readWholeNumber(
    config?.getOptionalConfig('embedded'),
    'rowsPerTable',
    'starrocks.embedded.rowsPerTable',
    { min: 0, max: 1_000_000, fallback: DEFAULT_EMBEDDED_ROWS_PER_TABLE },
  );
  return {
    engine,
    dialect,
    defaultCatalog,
    queryTimeoutSeconds,
    maxRows,
    connectTimeoutSeconds,
    tenants,
    embedded: { rowsPerTable },
    executeAsEndUser,
  };
}
