import { QueryGuardPolicy } from '../guard';

/** Tenant acme: two internal tables, one more in a view database, two Iceberg tables. */
export const acmePolicy: QueryGuardPolicy = {
  readableTables: [
    { database: 'acme', table: 'orders' },
    { database: 'acme', table: 'customers' },
    { catalog: 'default_catalog', database: 'acme', table: 'order_items' },
    { database: 'acme_views', table: 'Daily_Revenue' },
    { catalog: 'iceberg_acme', database: 'sales', table: 'events' },
    { catalog: 'iceberg_acme', database: 'sales', table: 'sessions' },
  ],
};

/** The same tenant on a connection whose current database is `acme`. */
export const acmePolicyWithDefaultDatabase: QueryGuardPolicy = {
  ...acmePolicy,
  defaultDatabase: 'acme',
};
