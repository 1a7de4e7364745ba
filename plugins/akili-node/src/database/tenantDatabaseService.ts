import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  DatabaseService,
  RootConfigService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { TenantScopedDatabase } from './TenantScopedDatabase';
import { prepareTenantRole, readTenantRole } from './tenantRole';

/**
 * A plugin's tenant-scoped database, set up the one Akili way.
 *
 * @public
 */
export interface AkiliTenantDatabaseService {
  /**
   * Runs the plugin's knex migrations from `migrationsDirectory` (unless the database service
   * says to skip them), grants the tenant role (`akili.database.tenantRole`, PostgreSQL) what it
   * needs on every tenant-isolated table (`SELECT` and `INSERT` only on append-only ones), and
   * returns the database whose transactions run as that role, bound to one tenant at a time.
   * Later calls return the same database.
   */
  open(options: { migrationsDirectory: string }): Promise<TenantScopedDatabase>;
}

const tenantDatabaseDeps = {
  database: coreServices.database,
  config: coreServices.rootConfig,
};

function tenantDatabase({
  database,
  config,
}: {
  database: DatabaseService;
  config: RootConfigService;
}): AkiliTenantDatabaseService {
  const tenantRole = readTenantRole(config);
  let opened: Promise<TenantScopedDatabase> | undefined;
  return {
    open({ migrationsDirectory }) {
      opened ??= (async () => {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await knex.migrate.latest({ directory: migrationsDirectory });
        }
        if (tenantRole) {
          await prepareTenantRole(knex, tenantRole);
        }
        return TenantScopedDatabase.create(knex, { tenantRole });
      })();
      return opened;
    },
  };
}

/**
 * The tenant-scoped database of an Akili backend plugin: its migrations, the tenant role and
 * row-level security, declared instead of written again.
 *
 * @example
 *
 * ```ts
 * deps: { database: akiliTenantDatabaseServiceRef },
 * async init({ database }) {
 *   const db = await database.open({
 *     migrationsDirectory: resolvePackagePath('@akili/plugin-lake-backend', 'migrations'),
 *   });
 * }
 * ```
 *
 * @public
 */
export const akiliTenantDatabaseServiceRef =
  createServiceRef<AkiliTenantDatabaseService>({
    id: 'akili.database',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: tenantDatabaseDeps,
        factory: tenantDatabase,
      }),
  });

/**
 * A factory of {@link akiliTenantDatabaseServiceRef}, the same as the default one.
 *
 * @public
 */
export function createAkiliTenantDatabaseServiceFactory(): ServiceFactory<
  AkiliTenantDatabaseService,
  'plugin',
  'singleton'
> {
  return createServiceFactory({
    service: akiliTenantDatabaseServiceRef,
    deps: tenantDatabaseDeps,
    factory: tenantDatabase,
  });
}
