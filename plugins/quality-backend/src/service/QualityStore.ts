import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** The plugin's knex migrations (opened with `akiliTenantDatabaseServiceRef`). */
export const QUALITY_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-quality-backend',
  'migrations',
);
