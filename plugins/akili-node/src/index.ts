/**
 * Backend services shared by Akili plugins: the one authorization path (tenancy), the
 * tenant-scoped database (PostgreSQL row-level security), the frozen migration steps, domain
 * events (outbox, relay, consumers), the intent/outcome audit of outside actions and the
 * parsing of request input with zod (a 400 naming each field), the access agreements in force
 * between tenants (read from the lake backend). Test
 * helpers are in `@akili/plugin-akili-node/testUtils`.
 *
 * @packageDocumentation
 */
export * from './tenancy';
export * from './database';
export * from './events';
export * from './apiTokens';
export * from './manifests';
export * from './audit';
export * from './http';
export * from './metrics';
export * from './agreements';
export { akiliMigrationsV1 } from './migrations/v1';
export { getFromControlPlane } from './internal/controlPlane';
export { listDataProductTenants } from './catalog/dataProductTenants';
