/**
 * Backend services shared by Akili plugins: tenancy (who may act in which tenant) and the
 * tenant-scoped database layer (PostgreSQL row-level security).
 *
 * @packageDocumentation
 */
export * from './tenancy';
export * from './database';
export { requireTestDatabaseIds } from './testDatabases';
export { userInfoFromDirectory } from './testUserInfo';
export * from './events';
export * from './apiTokens';
